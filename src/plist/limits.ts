/** Deepest container nesting a parser accepts; deeper input is refused rather than risking the stack. */
export const PLIST_MAX_DEPTH = 512;

/** Most values a parser produces from one input, so crafted shared references cannot blow up time or memory. */
export const PLIST_MAX_OBJECTS = 4_000_000;
