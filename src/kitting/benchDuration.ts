import type { Lang } from '../common/localizedText';

/** A row's duration for people: "42 s", "1 min 05 s", "1 h 02 min 05 s" / "42秒", "1分05秒", "1時間02分05秒". */
export function formatBenchDuration(ms: number, lang: Lang): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (lang === 'ja') {
    if (hours > 0) return `${hours}時間${two(minutes)}分${two(seconds)}秒`;
    if (minutes > 0) return `${minutes}分${two(seconds)}秒`;
    return `${seconds}秒`;
  }
  if (hours > 0) return `${hours} h ${two(minutes)} min ${two(seconds)} s`;
  if (minutes > 0) return `${minutes} min ${two(seconds)} s`;
  return `${seconds} s`;
}
