import {
	isIpAllowed,
	isOriginAllowed,
	parseIpAllowlist,
	parseIpAllowlistCached,
	parseOriginAllowlist,
	parseOriginAllowlistCached,
} from '../../nodes/WebhookTrigger/gate/allowlist';

describe('IP allowlist', () => {
	const allowed = (text: string, ip: string | undefined) => isIpAllowed(parseIpAllowlist(text), ip);

	it('reads lines, commas, spaces and comments, ignoring blank lines', () => {
		const list = parseIpAllowlist('# office\n10.0.0.1\r\n\n  10.0.0.2 , 10.0.0.3 # vpn\n192.168.1.0/24 2001:db8::/32\n');
		expect(list.entries).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '192.168.1.0/24', '2001:db8::/32']);
	});

	it('allows anyone when the list is empty or only comments', () => {
		expect(allowed('', '203.0.113.9')).toBe(true);
		expect(allowed('  \n# nobody yet\n', '203.0.113.9')).toBe(true);
		expect(allowed('', undefined)).toBe(true);
	});

	it('matches a single IPv4 address exactly', () => {
		expect(allowed('10.0.0.1', '10.0.0.1')).toBe(true);
		expect(allowed('10.0.0.1', '10.0.0.2')).toBe(false);
	});

	it('matches an IPv4 /24', () => {
		expect(allowed('192.168.1.0/24', '192.168.1.0')).toBe(true);
		expect(allowed('192.168.1.0/24', '192.168.1.255')).toBe(true);
		expect(allowed('192.168.1.0/24', '192.168.2.1')).toBe(false);
		expect(allowed('192.168.1.0/24', '192.168.0.255')).toBe(false);
	});

	it('treats /32 as one address and /0 as every IPv4 address', () => {
		expect(allowed('10.0.0.7/32', '10.0.0.7')).toBe(true);
		expect(allowed('10.0.0.7/32', '10.0.0.8')).toBe(false);
		expect(allowed('0.0.0.0/0', '203.0.113.9')).toBe(true);
		expect(allowed('0.0.0.0/0', '2001:db8::1')).toBe(false);
	});

	it('matches IPv6 addresses and CIDR ranges', () => {
		expect(allowed('2001:db8::/32', '2001:db8::1')).toBe(true);
		expect(allowed('2001:db8::/32', '2001:db8:ffff:ffff::1')).toBe(true);
		expect(allowed('2001:db8::/32', '2001:db9::1')).toBe(false);
		expect(allowed('2001:db8::1', '2001:0db8:0000::0001')).toBe(true);
		expect(allowed('::1', '::1')).toBe(true);
		expect(allowed('::1', '::2')).toBe(false);
		expect(allowed('2001:db8::/128', '2001:db8::1')).toBe(false);
	});

	it('matches IPv4-mapped IPv6 callers against IPv4 entries', () => {
		expect(allowed('10.0.0.1', '::ffff:10.0.0.1')).toBe(true);
		expect(allowed('10.0.0.1', '::FFFF:10.0.0.1')).toBe(true);
		expect(allowed('10.0.0.0/24', '::ffff:10.0.0.200')).toBe(true);
		expect(allowed('10.0.0.0/24', '::ffff:10.0.1.1')).toBe(false);
		expect(allowed('10.0.0.1', '::ffff:a00:1')).toBe(true);
	});

	it('matches IPv4 callers against an IPv4-mapped entry', () => {
		expect(allowed('::ffff:10.0.0.1', '10.0.0.1')).toBe(true);
		expect(allowed('::ffff:10.0.0.1', '10.0.0.2')).toBe(false);
	});

	it('ignores brackets and zone ids on the caller address', () => {
		expect(allowed('::1', '[::1]')).toBe(true);
		expect(allowed('fe80::/10', 'fe80::1%eth0')).toBe(true);
	});

	it('refuses a missing or unparsable caller address when the list is not empty', () => {
		for (const ip of [undefined, '', 'garbage', '10.0.0', '10.0.0.1.5', '10.0.0.256', '10.0.0.0/24']) {
			expect(allowed('10.0.0.0/24', ip)).toBe(false);
		}
	});

	it.each([
		['10.0.0.x', /"10\.0\.0\.x": not an IPv4 or IPv6 address/],
		['example.com', /"example\.com"/],
		['10.0.0.0/33', /"10\.0\.0\.0\/33": the prefix length must be 0-32/],
		['2001:db8::/129', /0-128/],
		['10.0.0.0/', /prefix length/],
		['10.0.0.0/abc', /prefix length/],
		['10.0.0.0/-1', /prefix length/],
		['10.0.0.0/24/8', /prefix length/],
		['/24', /not an IPv4 or IPv6 address/],
	])('rejects the entry %j, naming it', (entry, message) => {
		expect(() => parseIpAllowlist(`10.0.0.1\n${entry}`)).toThrow(message);
	});

	describe('host bits set in a CIDR (weakness 9)', () => {
		it.each([
			['10.0.0.5/24', '10.0.0.0/24', '10.0.0.5'],
			['192.168.1.1/16', '192.168.0.0/16', '192.168.1.1'],
			['10.0.0.255/25', '10.0.0.128/25', '10.0.0.255'],
			['255.255.255.255/1', '128.0.0.0/1', '255.255.255.255'],
			['2001:db8::1/32', '2001:db8::/32', '2001:db8::1'],
			['2001:DB8:0:0:1::/64', '2001:db8::/64', '2001:DB8:0:0:1::'],
			['2001:0:0:1::1/48', '2001::/48', '2001:0:0:1::1'],
			['fe80::1/10', 'fe80::/10', 'fe80::1'],
			['1::/0', '::/0', '1::'],
			['::ffff:10.0.0.5/120', '::ffff:10.0.0.0/120', '::ffff:10.0.0.5'],
		])('refuses %s, naming it and suggesting %s', (entry, network, single) => {
			let message = '';
			try {
				parseIpAllowlist(`10.0.0.1\n${entry}`);
			} catch (error) {
				message = (error as Error).message;
			}
			expect(message).toBe(
				`Invalid IP allowlist entry "${entry}": the address has bits set past the /${entry.split('/')[1]} prefix; ` +
					`write the network "${network}", or "${single}" for that one address`,
			);
		});

		it('accepts network addresses, full-length prefixes and /0 of the zero address', () => {
			const text = '10.0.0.0/24 10.0.0.128/25 10.0.0.7/32 0.0.0.0/0 2001:db8::/32 2001:db8::1/128 ::/0 ::ffff:10.0.0.0/120';
			expect(parseIpAllowlist(text).entries).toHaveLength(8);
			expect(allowed('10.0.0.128/25', '10.0.0.200')).toBe(true);
			expect(allowed('10.0.0.128/25', '10.0.0.100')).toBe(false);
		});
	});
});

describe('Origin allowlist', () => {
	const allowed = (text: string, origin: string | undefined) => isOriginAllowed(parseOriginAllowlist(text), origin);

	it('allows anyone, with or without an Origin header, when the list is empty', () => {
		expect(allowed('', 'https://evil.example')).toBe(true);
		expect(allowed('# none\n', undefined)).toBe(true);
	});

	it('matches the exact origin', () => {
		expect(allowed('https://app.kiwify.com.br', 'https://app.kiwify.com.br')).toBe(true);
		expect(allowed('https://app.kiwify.com.br', 'https://kiwify.com.br')).toBe(false);
		expect(allowed('https://app.kiwify.com.br', 'https://app.kiwify.com.br.evil.com')).toBe(false);
	});

	it('normalizes case, default ports and a trailing slash on both sides', () => {
		expect(allowed('HTTPS://App.Kiwify.com.BR/', 'https://app.kiwify.com.br')).toBe(true);
		expect(allowed('https://app.kiwify.com.br:443', 'https://app.kiwify.com.br/')).toBe(true);
		expect(allowed('http://example.com', 'http://EXAMPLE.com:80')).toBe(true);
		expect(allowed('https://example.com', 'https://example.com.')).toBe(true);
		expect(allowed('https://bücher.de', 'https://xn--bcher-kva.de')).toBe(true);
	});

	it('distinguishes scheme and non-default port', () => {
		expect(allowed('https://example.com', 'http://example.com')).toBe(false);
		expect(allowed('https://example.com', 'https://example.com:8443')).toBe(false);
		expect(allowed('http://localhost:5678', 'http://localhost:5678')).toBe(true);
		expect(allowed('http://localhost:5678', 'http://localhost:5679')).toBe(false);
		expect(allowed('https://example.com:443', 'https://example.com:8443')).toBe(false);
	});

	it('matches a *. wildcard only for subdomains, and only as a whole label', () => {
		const list = 'https://*.example.com';
		expect(allowed(list, 'https://app.example.com')).toBe(true);
		expect(allowed(list, 'https://a.b.example.com')).toBe(true);
		expect(allowed(list, 'https://example.com')).toBe(false);
		expect(allowed(list, 'https://badexample.com')).toBe(false);
		expect(allowed(list, 'https://app.example.com.evil.io')).toBe(false);
		expect(allowed(list, 'http://app.example.com')).toBe(false);
		expect(allowed(list, 'https://*.example.com')).toBe(false);
	});

	it('refuses a missing, empty, "null" or malformed Origin when the list is not empty', () => {
		for (const origin of [undefined, '', '  ', 'null', 'app.example.com', 'https://app.example.com/path', 'ftp://app.example.com']) {
			expect(allowed('https://app.example.com', origin)).toBe(false);
		}
	});

	it('accepts any of several entries', () => {
		const text = 'https://a.example\nhttps://b.example, http://localhost:3000';
		expect(parseOriginAllowlist(text).entries).toHaveLength(3);
		expect(allowed(text, 'https://b.example')).toBe(true);
		expect(allowed(text, 'http://localhost:3000')).toBe(true);
		expect(allowed(text, 'https://c.example')).toBe(false);
	});

	it.each([
		['app.kiwify.com.br', /"app\.kiwify\.com\.br": not a URL/],
		['ftp://example.com', /scheme must be http or https/],
		['https://example.com/webhook', /no path, query or fragment/],
		['https://example.com?x=1', /no path, query or fragment/],
		['https://user:pw@example.com', /no user name or password/],
		['https://*example.com', /wildcard is only allowed as the whole first label/],
		['https://a.*.example.com', /wildcard/],
		['https://*.', /wildcard/],
		['null', /"null"/],
	])('rejects the entry %j, naming it', (entry, message) => {
		expect(() => parseOriginAllowlist(`https://ok.example\n${entry}`)).toThrow(message);
	});
});

describe('Origin wildcards over a public suffix (weakness 9)', () => {
	it.each([
		['https://*.co.uk', 'co.uk'],
		['https://*.com', 'com'],
		['https://*.com.br', 'com.br'],
		['https://*.github.io', 'github.io'],
		['https://*.s3.amazonaws.com', 's3.amazonaws.com'],
		['http://*.localhost:3000', 'localhost'],
		['https://*.рф', 'xn--p1ai'],
	])('refuses %s, naming the entry and the suffix', (entry, suffix) => {
		expect(() => parseOriginAllowlist(`https://ok.example\n${entry}`)).toThrow(
			`Invalid origin allowlist entry "${entry}": "${suffix}" is a public suffix`,
		);
	});

	it('suggests a wildcard under the user’s own domain, keeping the scheme', () => {
		expect(() => parseOriginAllowlist('http://*.co.uk')).toThrow(/e\.g\. http:\/\/\*\.example\.co\.uk$/);
	});

	it('accepts wildcards under a registrable domain, and exact origins on a suffix', () => {
		const text = 'https://*.example.co.uk https://*.kiwify.com.br https://*.my-user.github.io https://*.app.localhost https://co.uk';
		expect(parseOriginAllowlist(text).origins).toHaveLength(5);
		expect(isOriginAllowed(parseOriginAllowlist(text), 'https://shop.example.co.uk')).toBe(true);
		expect(isOriginAllowed(parseOriginAllowlist(text), 'https://evil.co.uk')).toBe(false);
	});

	it('loads the suffix list only for a wildcard entry', () => {
		let loaded = false;
		jest.isolateModules(() => {
			jest.doMock('tldts', () => {
				loaded = true;
				return jest.requireActual('tldts');
			});
			const fresh = require('../../nodes/WebhookTrigger/gate/allowlist') as typeof import('../../nodes/WebhookTrigger/gate/allowlist');
			fresh.parseOriginAllowlist('https://app.example.com http://localhost:5678');
			expect(loaded).toBe(false);
			fresh.parseOriginAllowlist('https://*.example.com');
			expect(loaded).toBe(true);
		});
		jest.dontMock('tldts');
	});
});

describe('parseIpAllowlistCached / parseOriginAllowlistCached (weakness 8)', () => {
	it('parses a list once, whatever its comments, spacing and separators', () => {
		const first = parseIpAllowlistCached('10.0.0.1\n192.168.1.0/24');
		expect(parseIpAllowlistCached('  10.0.0.1 , 192.168.1.0/24   # office\r\n')).toBe(first);
		expect(parseIpAllowlistCached('10.0.0.2\n192.168.1.0/24')).not.toBe(first);
		expect(isIpAllowed(first, '192.168.1.9')).toBe(true);
		const origins = parseOriginAllowlistCached('https://a.example\nhttps://*.b.example');
		expect(parseOriginAllowlistCached('# browsers\nhttps://a.example, https://*.b.example')).toBe(origins);
		expect(isOriginAllowed(origins, 'https://x.b.example')).toBe(true);
	});

	it('answers like the uncached parsers, and hands out lists that cannot be changed', () => {
		const list = parseOriginAllowlistCached('https://c.example');
		expect(list).toEqual(parseOriginAllowlist('https://c.example'));
		expect(Object.isFrozen(list) && Object.isFrozen(list.entries) && Object.isFrozen(list.origins[0])).toBe(true);
		expect(Object.isFrozen(parseIpAllowlistCached('10.9.9.9').entries)).toBe(true);
	});

	it('keeps throwing the configuration error for a bad list', () => {
		for (let i = 0; i < 3; i++) {
			expect(() => parseIpAllowlistCached('10.0.0.5/24')).toThrow(/"10\.0\.0\.5\/24": the address has bits set/);
			expect(() => parseOriginAllowlistCached('https://*.com')).toThrow(/"https:\/\/\*\.com": "com" is a public suffix/);
		}
	});

	it('keeps a list used on every call while hundreds of others come and go (bounded LRU)', () => {
		const hot = parseIpAllowlistCached('203.0.113.7');
		const firstOneOff = parseIpAllowlistCached('198.51.0.0');
		for (let i = 0; i < 600; i++) {
			expect(parseIpAllowlistCached('203.0.113.7')).toBe(hot);
			parseIpAllowlistCached(`198.51.${Math.floor(i / 256)}.${i % 256}`);
		}
		expect(parseIpAllowlistCached('203.0.113.7')).toBe(hot);
		// The first one-off list has long been evicted: parsed again, a new object.
		const again = parseIpAllowlistCached('198.51.0.0');
		expect(again).not.toBe(firstOneOff);
		expect(again.entries).toEqual(['198.51.0.0']);
	});
});
