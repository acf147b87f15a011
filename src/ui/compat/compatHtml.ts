/** The addresses and values the page's HTML needs; URIs are already webview URIs (asWebviewUri). */
export interface CompatHtmlParts {
  /** `webview.cspSource`: the only origin styles, fonts and images may come from. */
  cspSource: string;
  /** A fresh nonce for this render; only script tags carrying it may run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** BCP 47 language of the panel's texts. */
  lang: string;
  title: string;
  /** Shown until the page script has drawn the panel. */
  loadingText: string;
}

/**
 * Builds the panel's HTML shell. The Content Security Policy denies everything by default; scripts run only
 * with the nonce, styles and fonts only from the extension's own webview origin, and nothing is fetched from
 * the network. The page script then builds the content from the host's messages.
 */
export function buildCompatHtml(parts: CompatHtmlParts): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${parts.nonce}'`,
    // Lit components style themselves with constructable style sheets, which CSP does not restrict; the nonce
    // covers the fallback <style> elements older engines would create.
    `style-src ${parts.cspSource} 'nonce-${parts.nonce}'`,
    `font-src ${parts.cspSource}`,
    `img-src ${parts.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(parts.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeQuotedAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(parts.styleUri)}" nonce="${escapeHtml(parts.nonce)}">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
<main id="app" aria-busy="true"><p class="loading">${escapeHtml(parts.loadingText)}</p></main>
<script nonce="${escapeHtml(parts.nonce)}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>
`;
}

/** Escapes a double-quoted attribute value but keeps its single quotes, so the CSP stays readable as written. */
function escapeQuotedAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}
