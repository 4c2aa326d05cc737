import { timeOrderedId } from '../../../nodes/shared/store/ids';

describe('timeOrderedId', () => {
	const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

	it('is a version 7 UUID whose first 48 bits are the given milliseconds', () => {
		const id = timeOrderedId(0x0123456789ab);
		expect(id).toMatch(V7);
		expect(id.slice(0, 13)).toBe('01234567-89ab');
	});

	it('sorts by time as text (what an index on the id sees), and differs within one millisecond', () => {
		const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((now) => timeOrderedId(now));
		expect([...ids].sort()).toEqual(ids);
		const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(1_700_000_000_000)));
		expect(same.size).toBe(1000);
	});
});
