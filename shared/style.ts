// Brand style a site may set on its widget (loader options accent/radius/font → iframe URL →
// server → page config `style` → custom properties on the app's host). One set of patterns for
// all three: the loader reports a bad value early, the server refuses it (the real guard: the
// values end up in CSS inside the iframe), and the app re-checks the config and fails closed.
// No pattern admits `;` `{` `}` `<` `/` outside rgb()/hsl(), `(` outside them, or letters inside
// them, so no value can reach another property, load a URL (url(), image-set()) or end a tag.

export const styleOptions = ['accent', 'radius', 'font'] as const;
export type StyleOption = (typeof styleOptions)[number];

/** A CSS colour: #rgb, #rrggbb, #rrggbbaa, or rgb()/rgba()/hsl()/hsla() of numbers. */
export const colourPattern = /^(?:#(?:[\da-f]{3}|[\da-f]{6}|[\da-f]{8})|(?:rgb|hsl)a?\([\d .,%/+-]{1,60}\))$/i;
/** A CSS length: 0, or a number with px, em, rem or %. */
export const lengthPattern = /^(?:0|(?:\d{1,4}(?:\.\d{1,4})?|\.\d{1,4})(?:px|r?em|%))$/;
/** A font-family list: letters, digits, spaces, commas, quotes and hyphens, at most 100. */
export const fontPattern = /^[A-Za-z\d ,'"-]{1,100}$/;

export const stylePatterns: Record<StyleOption, RegExp> = { accent: colourPattern, radius: lengthPattern, font: fontPattern };
