import { tokenPreset } from './token';

/**
 * Hotmart: no signature; every call carries the account's Hottok in `X-HOTMART-HOTTOK`. Not a
 * catalogue entry: it keeps its place in the registry (index.ts), whose order the node lists.
 */
export const hotmartVerifier = tokenPreset('hotmart', {
	displayName: 'Hotmart',
	description: 'The Hottok in X-HOTMART-HOTTOK',
	docs: 'https://developers.hotmart.com/docs/en/webhooks/',
	header: 'X-HOTMART-HOTTOK',
	preset: { eventPath: 'body.event', deliveryIdPath: 'body.id' },
	secretName: 'Hotmart Hottok',
});
