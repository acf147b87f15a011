/** One line of a stream; `cut` when the line was longer than the cap and only its start is kept. */
export interface BoundedLine {
  text: string;
  cut: boolean;
}

/**
 * Splits a stream of text or bytes into lines without ever holding more than `maxLineChars` of one line:
 * a 2 GB log with no newline costs no more memory than a short one. "\r\n" and "\n" both end a line.
 */
export async function* boundedLines(chunks: AsyncIterable<string | Uint8Array>, maxLineChars: number): AsyncGenerator<BoundedLine> {
  const decoder = new TextDecoder('utf-8');
  let current = '';
  let cut = false;
  const take = (piece: string): void => {
    if (current.length >= maxLineChars) {
      if (piece.length > 0) cut = true;
      return;
    }
    const room = maxLineChars - current.length;
    if (piece.length > room) cut = true;
    current += piece.slice(0, room);
  };
  const pieces = function* (text: string): Generator<BoundedLine> {
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl));
      yield { text: current.endsWith('\r') ? current.slice(0, -1) : current, cut };
      current = '';
      cut = false;
      from = nl + 1;
    }
    take(text.slice(from));
  };
  for await (const chunk of chunks) {
    yield* pieces(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  yield* pieces(decoder.decode());
  if (current.length > 0 || cut) yield { text: current.endsWith('\r') ? current.slice(0, -1) : current, cut };
}

/** The same split for text already in memory (no copy of the whole text is made). */
export function* linesOfText(text: string, maxLineChars: number): Generator<BoundedLine> {
  let from = 0;
  while (from <= text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    let end = nl > from && text[nl - 1] === '\r' ? nl - 1 : nl;
    const cut = end - from > maxLineChars;
    if (cut) end = from + maxLineChars;
    if (!(nl === text.length && from === nl)) yield { text: text.slice(from, end), cut };
    from = nl + 1;
  }
}
