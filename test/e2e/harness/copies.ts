/**
 * How the copies of one delivery sent at once were answered. The first copy starts the workflow;
 * each other copy is answered 200 `{"duplicate": true}` once that execution has started, or 409
 * `delivery_in_progress` when it had not started within the copy's wait (a loaded machine). Either
 * way a copy starts nothing; "other" must stay empty.
 */
export function classifyCopies(answers: ReadonlyArray<{ status: number; text: string }>) {
	const counts = { accepted: 0, duplicate: 0, inProgress: 0, other: [] as string[] };
	for (const answer of answers) {
		if (answer.status === 200 && answer.text.includes('"duplicate":true')) counts.duplicate++;
		else if (answer.status === 409 && answer.text.includes('delivery_in_progress')) counts.inProgress++;
		else if (answer.status === 200) counts.accepted++;
		else counts.other.push(`${answer.status} ${answer.text.slice(0, 200)}`);
	}
	return counts;
}
