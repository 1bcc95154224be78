import { describe, expect, it } from 'vitest';
import { batchedLineWriter } from '../../../adapters/node/log-writer';

const tick = () => new Promise((r) => setImmediate(r));

describe('batchedLineWriter', () => {
  it('writes every line of one turn in one chunk, in order, at the next setImmediate', async () => {
    const chunks: string[] = [];
    const w = batchedLineWriter((c) => chunks.push(c));
    w.write('{"a":1}');
    w.write('{"b":2}');
    w.write('{"c":3}');
    expect(chunks).toEqual([]);
    await tick();
    expect(chunks).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n']);
    w.write('{"d":4}');
    await tick();
    expect(chunks).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n', '{"d":4}\n']);
  });

  it('writes at once when a batch passes its size, and flush() empties it', async () => {
    const chunks: string[] = [];
    const w = batchedLineWriter((c) => chunks.push(c), 10);
    w.write('123456');
    expect(chunks).toEqual([]);
    w.write('7890');
    expect(chunks).toEqual(['123456\n7890\n']);
    w.write('x');
    w.flush();
    expect(chunks).toEqual(['123456\n7890\n', 'x\n']);
    await tick();
    // Nothing is written twice and an empty batch writes nothing.
    expect(chunks).toHaveLength(2);
  });
});
