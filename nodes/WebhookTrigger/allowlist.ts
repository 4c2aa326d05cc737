/**
 * IP and Origin allowlists. Both are parsed once from the node's text parameter (one entry per
 * line; commas or spaces also separate; `#` starts a comment) and an empty list allows everyone.
 * A bad entry throws, naming it, so a typo never silently turns into "allow nobody" or "allow all".
 */
import { BlockList, isIP } from 'net';

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

/** Accepts `https://app.kiwify.com.br`, `http://localhost:5678`, `https://*.example.com`. */
export function parseOriginAllowlist(text: string): OriginAllowlist {
	const entries = splitEntries(text);
	const origins = entries.map((raw) => {
		const parsed = parseOrigin(raw);
		if (typeof parsed === 'string') throw new Error(`Invalid origin allowlist entry "${raw}": ${parsed}`);
		return parsed;
	});
	return { entries, origins };
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
