/**
 * IP and Origin allowlists. Both are parsed once from the node's text parameter (one entry per
 * line; commas or spaces also separate; `#` starts a comment) and an empty list allows everyone.
 * A bad entry throws, naming it, so a typo never silently turns into "allow nobody" or "allow all".
 * The `...Cached` parsers memoise by a hash of the normalised text, for per-call use.
 */
import { BlockList, isIP } from 'net';
import type * as Tldts from 'tldts';
import { cacheKey, LruCache } from './lru';

export interface IpAllowlist {
	/** The entries as written, for messages and the Listen-mode suggestions. */
	readonly entries: readonly string[];
	readonly blockList: BlockList;
}

export interface OriginEntry {
	/** `https:` or `http:`. */
	protocol: string;
	/** Lower-case, punycode, no trailing dot; for a wildcard the part after `*.`. */
	hostname: string;
	/** Empty for the scheme's default port, as the URL parser gives it. */
	port: string;
	/** `*.example.com`: any host with at least one more label (not `example.com` itself). */
	wildcard: boolean;
}

export interface OriginAllowlist {
	readonly entries: readonly string[];
	readonly origins: readonly OriginEntry[];
}

function splitEntries(text: string): string[] {
	const entries: string[] = [];
	for (const line of (typeof text === 'string' ? text : '').split(/\r?\n/)) {
		const content = line.replace(/#.*$/, '');
		for (const part of content.split(/[\s,]+/)) if (part !== '') entries.push(part);
	}
	return entries;
}

/** The address as bytes (4 or 16); `isIP` has already said which family it is. */
function addressBytes(address: string, family: 4 | 6): number[] {
	if (family === 4) return address.split('.').map(Number);
	let text = address.replace(/%.*$/, '');
	const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted.slice(1).map(Number);
		text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const groupsOf = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
	const before = groupsOf(head);
	const after = groupsOf(tail);
	const groups = tail === undefined ? before : [...before, ...Array(8 - before.length - after.length).fill(0), ...after];
	return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** RFC 5952 text: lower-case hex, the longest run of zero groups as `::`, an IPv4 tail kept dotted. */
function formatIpv6(bytes: number[], dottedTail: boolean): string {
	const groups: number[] = [];
	for (let i = 0; i < (dottedTail ? 12 : 16); i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
	let bestStart = -1;
	let bestLength = 1;
	for (let i = 0; i < groups.length; ) {
		let j = i;
		while (j < groups.length && groups[j] === 0) j++;
		if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
		i = j === i ? i + 1 : j;
	}
	const hex = (part: number[]) => part.map((g) => g.toString(16)).join(':');
	let text =
		bestStart === -1
			? hex(groups)
			: `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
	if (dottedTail) text += `${text.endsWith(':') ? '' : ':'}${bytes.slice(12).join('.')}`;
	return text;
}

/**
 * The network address of `address/prefix`, or undefined when `address` already is one. BlockList
 * silently ignores host bits, so `10.0.0.5/24` would allow all of 10.0.0.0/24: a likely typo for
 * one address or the wrong range, which the user should see.
 */
function networkIfHostBitsSet(address: string, prefix: number, family: 4 | 6): string | undefined {
	const bytes = addressBytes(address, family);
	const network = bytes.map((byte, i) => {
		const kept = Math.min(8, Math.max(0, prefix - i * 8));
		return byte & ((0xff << (8 - kept)) & 0xff);
	});
	if (network.every((byte, i) => byte === bytes[i])) return undefined;
	return family === 4 ? network.join('.') : formatIpv6(network, address.includes('.'));
}

/** Accepts `10.0.0.1`, `10.0.0.0/24`, `2001:db8::1`, `2001:db8::/32`, `::ffff:10.0.0.1`. */
export function parseIpAllowlist(text: string): IpAllowlist {
	const entries = splitEntries(text);
	const blockList = new BlockList();
	for (const entry of entries) {
		const slash = entry.indexOf('/');
		const address = slash === -1 ? entry : entry.slice(0, slash);
		const family = isIP(address);
		if (family === 0) throw new Error(`Invalid IP allowlist entry "${entry}": not an IPv4 or IPv6 address`);
		const type = family === 4 ? 'ipv4' : 'ipv6';
		if (slash === -1) {
			blockList.addAddress(address, type);
			continue;
		}
		const prefixText = entry.slice(slash + 1);
		const prefix = Number(prefixText);
		const max = family === 4 ? 32 : 128;
		if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
			throw new Error(`Invalid IP allowlist entry "${entry}": the prefix length must be 0-${max}`);
		}
		const network = networkIfHostBitsSet(address, prefix, family as 4 | 6);
		if (network !== undefined) {
			throw new Error(
				`Invalid IP allowlist entry "${entry}": the address has bits set past the /${prefix} prefix; ` +
					`write the network "${network}/${prefix}", or "${address}" for that one address`,
			);
		}
		blockList.addSubnet(address, prefix, type);
	}
	return { entries, blockList };
}

/**
 * Whether `ip` (the caller's address as the server saw it) is on the list. An empty list allows
 * any caller. With a non-empty list, an unknown or unparsable address is refused.
 */
export function isIpAllowed(list: IpAllowlist, ip: string | undefined): boolean {
	if (list.entries.length === 0) return true;
	if (typeof ip !== 'string') return false;
	// Zone ids (`fe80::1%eth0`) and brackets (`[::1]`) are decoration, not part of the address.
	const address = ip.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
	const family = isIP(address);
	if (family === 4) return list.blockList.check(address, 'ipv4');
	if (family !== 6) return false;
	if (list.blockList.check(address, 'ipv6')) return true;
	// A dual-stack server reports IPv4 callers as `::ffff:a.b.c.d`; match them against IPv4 entries
	// explicitly rather than relying on BlockList's own mapping rules.
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
	return mapped !== null && isIP(mapped[1]) === 4 && list.blockList.check(mapped[1], 'ipv4');
}

/** Parses an origin as sent in the `Origin` header or written in the list; a string says why not. */
function parseOrigin(text: string): OriginEntry | string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return 'not a URL (write it with the scheme, e.g. https://app.example.com)';
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'the scheme must be http or https';
	if (url.username !== '' || url.password !== '') return 'an origin has no user name or password';
	if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
		return 'an origin has no path, query or fragment (scheme, host and port only)';
	}
	let hostname = url.hostname.replace(/\.$/, '');
	let wildcard = false;
	if (hostname.startsWith('*.')) {
		wildcard = true;
		hostname = hostname.slice(2);
	}
	if (hostname === '' || hostname.includes('*')) {
		return 'a wildcard is only allowed as the whole first label, e.g. https://*.example.com';
	}
	return { protocol: url.protocol, hostname, port: url.port, wildcard };
}

let tldts: typeof Tldts | undefined;

/**
 * Why a wildcard over `hostname` must not be allowed, if it must not: `*.co.uk`, `*.com` or
 * `*.github.io` would let any site registered under that public suffix (ICANN and private sections
 * of the Public Suffix List, via tldts) post as an allowed origin. A bare name the list does not
 * know (`*.localhost`) counts as a top-level name too, as the list's default rule says. (A
 * wildcard over an IP address never gets here: the URL parser refuses `https://*.1.2.3.4`.)
 */
function wildcardProblem({ protocol, hostname }: OriginEntry): string | undefined {
	// Loaded on the first wildcard entry only (the suffix list is ~200 KB of JavaScript).
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	tldts ??= require('tldts') as typeof Tldts;
	const { domain } = tldts.parse(hostname, { allowPrivateDomains: true, extractHostname: false, validateHostname: false });
	if (domain !== null) return undefined;
	return (
		`"${hostname}" is a public suffix (or a bare top-level name), so the wildcard would allow every ` +
		`site registered under it; list your own domain instead, e.g. ${protocol}//*.example.${hostname}`
	);
}

/** Accepts `https://app.kiwify.com.br`, `http://localhost:5678`, `https://*.example.com`. */
export function parseOriginAllowlist(text: string): OriginAllowlist {
	const entries = splitEntries(text);
	const origins = entries.map((raw) => {
		const parsed = parseOrigin(raw);
		if (typeof parsed === 'string') throw new Error(`Invalid origin allowlist entry "${raw}": ${parsed}`);
		const problem = parsed.wildcard ? wildcardProblem(parsed) : undefined;
		if (problem !== undefined) throw new Error(`Invalid origin allowlist entry "${raw}": ${problem}`);
		return parsed;
	});
	return { entries, origins };
}

/** Parsed lists are shared between calls (and nodes): callers must not change them. */
const MAX_CACHED_LISTS = 256;
type Parsed<T> = { list: T } | { error: string };
const ipLists = new LruCache<string, Parsed<IpAllowlist>>(MAX_CACHED_LISTS);
const originLists = new LruCache<string, Parsed<OriginAllowlist>>(MAX_CACHED_LISTS);

/**
 * The cache key of a list as configured: the same text arrives at every call, so it is split and
 * hashed once, not per call (texts up to 4 KB are remembered as they are).
 */
const keysByText = new LruCache<string, string>(MAX_CACHED_LISTS);
function listKey(text: string): string {
	const remembered = text.length <= 4096 ? keysByText.get(text) : undefined;
	if (remembered !== undefined) return remembered;
	const key = cacheKey(splitEntries(text).join('\n'));
	if (text.length <= 4096) keysByText.set(text, key);
	return key;
}

/** Parses once per distinct list (comments, spacing and separators aside); a bad list keeps throwing. */
function cachedParse<T>(cache: LruCache<string, Parsed<T>>, parse: (text: string) => T, text: string): T {
	const key = listKey(text);
	let parsed = cache.get(key);
	if (parsed === undefined) {
		parsed = attemptParse(parse, text);
		cache.set(key, parsed);
	}
	if ('error' in parsed) throw new Error(parsed.error);
	return parsed.list;
}

function attemptParse<T>(parse: (text: string) => T, text: string): Parsed<T> {
	try {
		return { list: parse(text) };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/** {@link parseIpAllowlist}, memoised by a hash of the normalised list (for the per-call path). */
export function parseIpAllowlistCached(text: string): IpAllowlist {
	return cachedParse(
		ipLists,
		(t) => {
			const { entries, blockList } = parseIpAllowlist(t);
			return Object.freeze({ entries: Object.freeze(entries), blockList });
		},
		text,
	);
}

/** {@link parseOriginAllowlist}, memoised by a hash of the normalised list (for the per-call path). */
export function parseOriginAllowlistCached(text: string): OriginAllowlist {
	return cachedParse(
		originLists,
		(t) => {
			const { entries, origins } = parseOriginAllowlist(t);
			return Object.freeze({ entries: Object.freeze(entries), origins: Object.freeze(origins.map((o) => Object.freeze(o))) });
		},
		text,
	);
}

/**
 * Whether the request's `Origin` header is on the list, comparing scheme, host and port (the
 * default port and a trailing slash make no difference; case does not matter). An empty list
 * allows any caller.
 *
 * With a non-empty list, a request WITHOUT an Origin header is refused: browsers send Origin on
 * cross-site POSTs, but server-to-server webhook senders (Kiwify, Hotmart, Stripe...) send none.
 * So this list only fits callers that are browsers; for servers leave it empty and use the IP
 * allowlist or a signature. Origin is set freely by non-browser clients: it is a filter, not
 * authentication.
 */
export function isOriginAllowed(list: OriginAllowlist, origin: string | undefined): boolean {
	if (list.origins.length === 0) return true;
	if (typeof origin !== 'string' || origin.trim() === '') return false;
	const actual = parseOrigin(origin.trim());
	if (typeof actual === 'string') return false; // includes the literal `null` of sandboxed pages
	if (actual.wildcard) return false; // a caller cannot claim a wildcard host
	return list.origins.some(
		(allowed) =>
			allowed.protocol === actual.protocol &&
			allowed.port === actual.port &&
			(allowed.wildcard
				? actual.hostname.endsWith('.' + allowed.hostname)
				: actual.hostname === allowed.hostname),
	);
}
