import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	INode,
	INodeOutputConfiguration,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
} from 'n8n-workflow';
import {
	configuredOutputs,
	isRoutingEnabled,
	routeEvent,
	routeItems,
	type RoutingParameters,
} from '../../nodes/WebhookTrigger/gate/routing';

/**
 * The source text n8n will see: the function as `npm run build` (tsc, tsconfig.build.json) emits
 * it, taken from the module evaluated with a `require` that fails, so any import would show.
 */
function builtSource(): string {
	const configPath = path.join(__dirname, '../../tsconfig.build.json');
	const { config } = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
	const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
	const fileName = path.join(__dirname, '../../nodes/WebhookTrigger/gate/routing.ts');
	const { outputText } = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), { compilerOptions: options, fileName });
	const moduleExports: Record<string, unknown> = {};
	const failingRequire = (id: string) => {
		throw new Error(`routing.ts must not require ${id} at runtime`);
	};
	new Function('exports', 'require', outputText)(moduleExports, failingRequire);
	return String(moduleExports.configuredOutputs);
}

// Under `jest --coverage` the ts-jest copy carries istanbul counters (cov_...), which the real
// build never has; then only the built copy is checked.
const jestSource = String(configuredOutputs);
const sources: Array<[string, string]> = [['the tsc build', builtSource()]];
if (!/\bcov_\w+/.test(jestSource)) sources.push(['the ts-jest compilation', jestSource]);

const cases = [
	{ label: 'Purchase approved', value: 'purchase.approved' },
	{ label: 'Refund', value: 'purchase.refunded' },
];

describe('configuredOutputs', () => {
	it('gives one output per case, then else', () => {
		expect(configuredOutputs({ eventPath: 'body.event', cases: { values: cases } })).toEqual([
			{ type: 'main', displayName: 'Purchase approved' },
			{ type: 'main', displayName: 'Refund' },
			{ type: 'main', displayName: 'else' },
		]);
	});

	it('gives a single unnamed output when there is no event path', () => {
		for (const eventPath of [undefined, '', '   ']) {
			expect(configuredOutputs({ eventPath, cases: { values: cases } })).toEqual([{ type: 'main' }]);
		}
	});

	it('gives only else when routing is on but there are no cases', () => {
		expect(configuredOutputs({ eventPath: 'body.event' })).toEqual([{ type: 'main', displayName: 'else' }]);
		expect(configuredOutputs({ eventPath: 'body.event', cases: {} })).toEqual([{ type: 'main', displayName: 'else' }]);
	});

	it('names an unlabeled case by its value, else "Case N"', () => {
		const outputs = configuredOutputs({
			eventPath: 'body.type',
			cases: { values: [{ label: ' ', value: 'order_paid' }, { label: '', value: '' }, {}] },
		});
		expect(outputs.map((o) => o.displayName)).toEqual(['order_paid', 'Case 2', 'Case 3', 'else']);
	});

	it('survives odd parameter shapes instead of throwing (n8n would drop all outputs)', () => {
		const odd = { eventPath: 'body.type', cases: { values: [null, { label: 7, value: 8 }] } };
		expect(configuredOutputs(odd as unknown as RoutingParameters).map((o) => o.displayName)).toEqual([
			'Case 1',
			'7',
			'else',
		]);
		expect(configuredOutputs(undefined as unknown as RoutingParameters)).toEqual([{ type: 'main' }]);
	});

	it('agrees with isRoutingEnabled', () => {
		for (const eventPath of ['', '  ', 'body.event', undefined]) {
			const outputs = configuredOutputs({ eventPath, cases: { values: cases } });
			expect(outputs.length > 1).toBe(isRoutingEnabled(eventPath));
		}
		expect(isRoutingEnabled(42)).toBe(false);
	});

	describe.each(sources)('as compiled by %s', (_name, source) => {
		it('is self-contained: it runs from its source text alone', () => {
			// What the node puts in `outputs`; nothing from the module's scope is reachable here.
			const run = new Function('$parameter', `return (${source})($parameter);`) as (p: unknown) => unknown;
			expect(run({ eventPath: 'body.event', cases: { values: cases } })).toEqual(
				configuredOutputs({ eventPath: 'body.event', cases: { values: cases } }),
			);
			expect(run({ eventPath: '' })).toEqual([{ type: 'main' }]);
			// Helpers or temporaries that tsc would emit for spread, `?.` or `??`.
			expect(source).not.toMatch(/__assign|__spread|\b_a\b|\?\.|\?\?/);
		});

		it("evaluates in n8n's own expression engine, as the node's outputs expression", () => {
			const description = {
				displayName: 'Routing Test',
				name: 'routingTest',
				group: ['trigger'],
				version: 1,
				description: '',
				defaults: { name: 'Routing Test' },
				inputs: [],
				outputs: `={{(${source})($parameter)}}`,
				properties: [
					{ displayName: 'Event Path', name: 'eventPath', type: 'string', default: '' },
					{
						displayName: 'Cases',
						name: 'cases',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						options: [
							{
								name: 'values',
								displayName: 'Case',
								values: [
									{ displayName: 'Label', name: 'label', type: 'string', default: '' },
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
								],
							},
						],
					},
				],
			} as INodeTypeDescription;
			const nodeType: INodeType = { description };
			const nodeTypes = {
				getByName: () => nodeType,
				getByNameAndVersion: () => nodeType,
				getKnownTypes: () => ({}),
			} as unknown as INodeTypes;
			// getNodeOutputs swallows an expression error and returns [] (with a console.warn).
			const outputsFor = (parameters: RoutingParameters): INodeOutputConfiguration[] => {
				const node: INode = {
					id: '1',
					name: 'Hook',
					type: 'routingTest',
					typeVersion: 1,
					position: [0, 0],
					parameters: parameters as unknown as INodeParameters,
				};
				const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
				return NodeHelpers.getNodeOutputs(workflow, node, description) as INodeOutputConfiguration[];
			};
			expect(outputsFor({ eventPath: 'body.event', cases: { values: cases } })).toEqual([
				{ type: 'main', displayName: 'Purchase approved' },
				{ type: 'main', displayName: 'Refund' },
				{ type: 'main', displayName: 'else' },
			]);
			expect(outputsFor({ eventPath: 'body.type', cases: { values: [{ label: '', value: 'x' }] } })).toEqual([
				{ type: 'main', displayName: 'x' },
				{ type: 'main', displayName: 'else' },
			]);
			expect(outputsFor({ eventPath: '', cases: { values: cases } })).toEqual([{ type: 'main' }]);
		});
	});
});

describe('routeEvent', () => {
	it('routes to the matching case', () => {
		expect(routeEvent('purchase.approved', cases)).toEqual({ index: 0, case: 'Purchase approved' });
		expect(routeEvent('purchase.refunded', cases)).toEqual({ index: 1, case: 'Refund' });
	});

	it('routes anything else to the else output (index = number of cases)', () => {
		expect(routeEvent('purchase.chargeback', cases)).toEqual({ index: 2, case: null });
		expect(routeEvent('Purchase.Approved', cases)).toEqual({ index: 2, case: null });
		expect(routeEvent(' purchase.approved', cases)).toEqual({ index: 2, case: null });
		expect(routeEvent('x', [])).toEqual({ index: 0, case: null });
	});

	it('matches numbers and booleans by their string form', () => {
		const numeric = [
			{ label: 'Paid', value: '2' },
			{ label: 'Yes', value: 'true' },
			{ label: 'Decimal', value: '1.5' },
		];
		expect(routeEvent(2, numeric).index).toBe(0);
		expect(routeEvent('2', numeric).index).toBe(0);
		expect(routeEvent(true, numeric).index).toBe(1);
		expect(routeEvent(1.5, numeric).index).toBe(2);
		expect(routeEvent(2.0001, numeric).index).toBe(3);
		expect(routeEvent(false, numeric).index).toBe(3);
	});

	it('sends null, undefined, objects and arrays to else', () => {
		const tricky = [
			{ label: 'null', value: 'null' },
			{ label: 'undefined', value: 'undefined' },
			{ label: 'object', value: '[object Object]' },
			{ label: 'array', value: 'a' },
			{ label: 'empty', value: '' },
		];
		for (const value of [null, undefined, {}, ['a'], []]) {
			expect(routeEvent(value, tricky)).toEqual({ index: 5, case: null });
		}
	});

	it('takes the first of duplicate cases', () => {
		const dup = [
			{ label: 'First', value: 'order_approved' },
			{ label: 'Second', value: 'order_approved' },
		];
		expect(routeEvent('order_approved', dup)).toEqual({ index: 0, case: 'First' });
	});

	it('names the case as its output is named', () => {
		const unlabeled = [
			{ label: '', value: 'a' },
			{ label: '', value: '' },
		];
		expect(routeEvent('a', unlabeled)).toEqual({ index: 0, case: 'a' });
		expect(routeEvent('', unlabeled)).toEqual({ index: 1, case: 'Case 2' });
	});
});

describe('routeItems', () => {
	const cases = [
		{ label: 'Approved', value: 'order_approved' },
		{ label: 'Refunded', value: 'order_refunded' },
	];
	const item = (value: unknown) => ({ json: { event: { path: 'body.event', value, case: null } } });

	it('puts each item on the output routeEvent picks, with else last', () => {
		const approved = item('order_approved');
		const refunded = item('order_refunded');
		const other = item('x');
		const missing = { json: { body: {} } };
		expect(routeItems([refunded, approved, other, missing], 'body.event', cases)).toEqual([[approved], [refunded], [other, missing]]);
	});

	it('has one output with every item when the event path is blank', () => {
		const items = [item('order_approved'), item('x')];
		expect(routeItems(items, '  ', cases)).toEqual([items]);
	});

	it('has cases.length + 1 outputs even when nothing matches', () => {
		expect(routeItems([], 'body.event', cases)).toEqual([[], [], []]);
	});
});
