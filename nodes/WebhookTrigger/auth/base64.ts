/** Base64 text (standard alphabet, padded), as providers show keys and send signatures. */
export const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The bytes of a canonical base64 text of at most `maxLength` characters, or undefined: no other
 * text may decode to the same bytes (a lenient decoder would let trailing characters or bytes ride
 * along with a genuine signature).
 */
export function canonicalBase64(text: string, maxLength: number): Buffer | undefined {
	if (!BASE64.test(text) || text.length > maxLength) return undefined;
	const bytes = Buffer.from(text, 'base64');
	return bytes.toString('base64') === text ? bytes : undefined;
}
