import {
	FieldError,
	normalizeContact,
	normalizeDocument,
	normalizeEmail,
	normalizeHandle,
	normalizeName,
	normalizeOpaque,
	normalizePhone,
	normalizeUuid,
	presentText,
} from '../../../nodes/shared/store/normalize';
import { assertIdentifier, quoteIdentifier } from '../../../nodes/shared/store/identifier';
import { hash32 } from '../../../nodes/shared/store/locks';

function fieldOf(fn: () => unknown): string | undefined {
	try {
		fn();
	} catch (error) {
		if (error instanceof FieldError) return error.field;
		throw error;
	}
	return undefined;
}

describe('presentText', () => {
	it.each([[undefined], [null], [''], ['  \t ']])('treats %p as absent', (value) => {
		expect(presentText(value)).toBeNull();
	});
	it('trims and stringifies numbers', () => {
		expect(presentText('  a b ')).toBe('a b');
		expect(presentText(5511)).toBe('5511');
	});
});

describe('normalizeEmail', () => {
	it('trims and lower-cases', () => {
		expect(normalizeEmail('  Ana.Silva+tag@Example.COM ')).toBe('ana.silva+tag@example.com');
	});
	it('returns null for absent values', () => {
		expect(normalizeEmail('   ')).toBeNull();
	});
	it.each([['ana'], ['ana@'], ['@x.io'], ['ana@x'], ['a b@x.io'], ['a@b@x.io'], ['ana@-x.io'], ['ana@x..io']])(
		'rejects %p naming the field',
		(value) => {
			expect(fieldOf(() => normalizeEmail(value, 'email'))).toBe('email');
			expect(() => normalizeEmail(value, 'contact')).toThrow(/contact is not a valid email/);
		},
	);
});

describe('normalizePhone', () => {
	it.each([
		['(11) 98765-4321', 'BR', '+5511987654321'],
		['+55 11 98765 4321', 'BR', '+5511987654321'],
		['11987654321', 'BR', '+5511987654321'],
		['5511987654321', 'BR', '+5511987654321'],
		['(415) 555-2671', 'US', '+14155552671'],
		['+1 415 555 2671', 'BR', '+14155552671'],
		['447911123456', 'BR', '+447911123456'],
	])('%s with default country %s → %s', (value, country, expected) => {
		expect(normalizePhone(value, 'phone', { defaultCountry: country })).toBe(expected);
	});
	it('accepts numbers and lower-case country codes', () => {
		expect(normalizePhone(11987654321, 'phone', { defaultCountry: 'br' })).toBe('+5511987654321');
	});
	it.each([['12345'], ['abc'], ['+55 11 1234'], ['1-800-FLOWERS']])('rejects %p naming the field', (value) => {
		expect(fieldOf(() => normalizePhone(value, 'whatsapp', { defaultCountry: 'BR' }))).toBe('whatsapp');
	});
	it('needs a country code when no default country is set', () => {
		expect(() => normalizePhone('(11) 98765-4321', 'phone')).toThrow(/no default country/);
	});
	it('rejects an unknown default country', () => {
		expect(fieldOf(() => normalizePhone('11987654321', 'phone', { defaultCountry: 'XX' }))).toBe('defaultCountry');
	});
});

describe('normalizeDocument', () => {
	it('keeps digits only', () => {
		expect(normalizeDocument('123.456.789-09')).toBe('12345678909');
		expect(normalizeDocument(12345678909)).toBe('12345678909');
	});
	it('rejects a value without digits', () => {
		expect(fieldOf(() => normalizeDocument('n/a'))).toBe('document');
	});
});

describe('normalizeHandle', () => {
	it('trims, strips leading @ and lower-cases', () => {
		expect(normalizeHandle('  @Ana.Silva_ ', 'instagram')).toBe('ana.silva_');
		expect(normalizeHandle('@@Bot', 'telegram')).toBe('bot');
		expect(normalizeHandle(123456789, 'telegram')).toBe('123456789');
	});
	it('treats a lone @ as absent', () => {
		expect(normalizeHandle('@', 'telegram')).toBeNull();
	});
	it('rejects spaces and URLs', () => {
		expect(fieldOf(() => normalizeHandle('ana silva', 'instagram'))).toBe('instagram');
		expect(fieldOf(() => normalizeHandle('https://instagram.com/ana', 'instagram'))).toBe('instagram');
	});
});

describe('other values', () => {
	it('collapses whitespace in names', () => {
		expect(normalizeName('  Ana \n  Silva ')).toBe('Ana Silva');
	});
	it('keeps opaque ids as given, trimmed', () => {
		expect(normalizeOpaque(' PSID-AbC ', 'contact')).toBe('PSID-AbC');
	});
	it('dispatches by contact type', () => {
		expect(normalizeContact('whatsapp', '11987654321', 'contact', { defaultCountry: 'BR' })).toBe('+5511987654321');
		expect(normalizeContact('email', 'A@B.io')).toBe('a@b.io');
		expect(normalizeContact('custom', ' X ')).toBe('X');
	});
	it('validates uuids', () => {
		expect(normalizeUuid('0FBD9186-471A-4503-9E85-41BF0B4FF6BB', 'customerId')).toBe(
			'0fbd9186-471a-4503-9e85-41bf0b4ff6bb',
		);
		expect(fieldOf(() => normalizeUuid('42', 'customerId'))).toBe('customerId');
	});
});

describe('schema identifiers', () => {
	it('quotes valid names', () => {
		expect(quoteIdentifier('webhook_gateway')).toBe('"webhook_gateway"');
		expect(quoteIdentifier('Tenant_1')).toBe('"Tenant_1"');
	});
	it.each([[''], ['1abc'], ['a-b'], ['a"b'], ['a b'], ['x'.repeat(64)]])('rejects %p', (name) => {
		expect(fieldOf(() => assertIdentifier(name))).toBe('schema');
	});
});

describe('hash32', () => {
	it('is stable and fits a signed int4', () => {
		expect(hash32('email:ana@x.io')).toBe(hash32('email:ana@x.io'));
		expect(hash32('a')).not.toBe(hash32('b'));
		const value = hash32('anything');
		expect(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31).toBe(true);
	});
});
