import type * as PhoneNumbers from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';

/** libphonenumber-js (its metadata is ~80 modules), loaded on the first phone number. */
let phoneNumbers: typeof PhoneNumbers | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadPhoneNumbers = (): typeof PhoneNumbers => (phoneNumbers ??= require('libphonenumber-js') as typeof PhoneNumbers);

/** A user-supplied value that cannot be used; `field` names the input that holds it. */
export class FieldError extends Error {
	readonly field: string;

	constructor(field: string, message: string) {
		super(message);
		this.name = 'FieldError';
		this.field = field;
	}
}

export type ContactType =
	| 'email'
	| 'phone'
	| 'document'
	| 'whatsapp'
	| 'instagram'
	| 'telegram'
	| 'messenger'
	| 'webchat'
	| 'custom';

export interface NormalizeOptions {
	/** ISO 3166 alpha-2 country used for phone numbers written without a country code. */
	defaultCountry?: string;
}

/** Input values arrive from n8n expressions: strings, but also numbers (phones, documents). */
export type RawValue = string | number | null | undefined;

/** Trimmed text, or null when nothing usable was given (absent is not an error). */
export function presentText(value: RawValue): string | null {
	if (value === null || value === undefined) return null;
	const text = String(value).trim();
	return text === '' ? null : text;
}

const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
const HANDLE = /^[a-z0-9._]{1,64}$/;
const MAX_TEXT = 512;

function tooLong(field: string, text: string): void {
	if (text.length > MAX_TEXT) throw new FieldError(field, `${field} is longer than ${MAX_TEXT} characters`);
}

export function normalizeName(value: RawValue): string | null {
	const text = presentText(value);
	if (text === null) return null;
	tooLong('name', text);
	return text.replace(/\s+/g, ' ');
}

export function normalizeEmail(value: RawValue, field = 'email'): string | null {
	const text = presentText(value);
	if (text === null) return null;
	const email = text.toLowerCase();
	if (email.length > 254 || !EMAIL.test(email)) {
		throw new FieldError(field, `${field} is not a valid email address: "${text}"`);
	}
	return email;
}

function resolveCountry(options: NormalizeOptions): CountryCode | undefined {
	const country = presentText(options.defaultCountry)?.toUpperCase();
	if (country === undefined) return undefined;
	if (!loadPhoneNumbers().isSupportedCountry(country)) {
		throw new FieldError('defaultCountry', `defaultCountry "${country}" is not a supported country code`);
	}
	return country;
}

/** E.164, e.g. +5511987654321. */
export function normalizePhone(value: RawValue, field = 'phone', options: NormalizeOptions = {}): string | null {
	const text = presentText(value);
	if (text === null) return null;
	const defaultCountry = resolveCountry(options);
	const { parsePhoneNumberFromString } = loadPhoneNumbers();
	let parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
	// WhatsApp sends ids like 5511987654321 (country code, no '+'): retry as international.
	if (!parsed?.isValid() && /^\d{8,15}$/.test(text)) {
		parsed = parsePhoneNumberFromString(`+${text}`, { extract: false });
	}
	if (!parsed?.isValid()) {
		const hint = defaultCountry ? ` (default country ${defaultCountry})` : ' (no default country set)';
		throw new FieldError(field, `${field} is not a valid phone number${hint}: "${text}"`);
	}
	return parsed.number;
}

/** Digits only (CPF/CNPJ/SSN written with or without punctuation). */
export function normalizeDocument(value: RawValue, field = 'document'): string | null {
	const text = presentText(value);
	if (text === null) return null;
	const digits = text.replace(/\D/g, '');
	if (digits === '' || digits.length > 32) {
		throw new FieldError(field, `${field} must contain 1 to 32 digits: "${text}"`);
	}
	return digits;
}

/** Instagram / Telegram usernames or numeric ids: trimmed, no leading '@', lower-cased. */
export function normalizeHandle(value: RawValue, field: string): string | null {
	const text = presentText(value);
	if (text === null) return null;
	const handle = text.replace(/^@+/, '').toLowerCase();
	if (handle === '') return null;
	if (!HANDLE.test(handle)) {
		throw new FieldError(field, `${field} is not a valid username (letters, digits, '.', '_'): "${text}"`);
	}
	return handle;
}

/** Opaque ids (Messenger PSID, webchat session, custom): trimmed, case kept. */
export function normalizeOpaque(value: RawValue, field: string): string | null {
	const text = presentText(value);
	if (text === null) return null;
	tooLong(field, text);
	return text;
}

/** Normalized value for a contact of `type`; null when absent; FieldError when invalid. */
export function normalizeContact(
	type: ContactType,
	value: RawValue,
	field: string = type,
	options: NormalizeOptions = {},
): string | null {
	switch (type) {
		case 'email':
			return normalizeEmail(value, field);
		case 'phone':
		case 'whatsapp':
			return normalizePhone(value, field, options);
		case 'document':
			return normalizeDocument(value, field);
		case 'instagram':
		case 'telegram':
			return normalizeHandle(value, field);
		case 'messenger':
		case 'webchat':
		case 'custom':
			return normalizeOpaque(value, field);
	}
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function normalizeUuid(value: RawValue, field: string): string | null {
	const text = presentText(value);
	if (text === null) return null;
	if (!UUID.test(text)) throw new FieldError(field, `${field} is not a valid id (UUID expected): "${text}"`);
	return text.toLowerCase();
}
