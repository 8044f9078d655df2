/** See vsixReadme.mjs. */
export function vsixReadme(markdown: string, root: string): { text: string; images: string[]; unlinked: string[] };
