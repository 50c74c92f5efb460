import { describe, expect, it } from 'vitest';
import { SseParser, readEvents, type SseEvent } from '@/utils/sse';

describe('the server-sent events parser', () => {
  it('yields an event when its blank line arrives, across chunk boundaries', () => {
    const p = new SseParser();
    expect(p.push('event: ca')).toEqual([]);
    expect(p.push('ll\ndata: {"call":')).toEqual([]);
    expect(p.push('{"id":"1"}}\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'call', data: '{"call":{"id":"1"}}' }]);
  });

  it('joins multi-line data, ignores comments, keeps the id, defaults the name to message', () => {
    const p = new SseParser();
    const out = p.push(': keep-alive\n\nid: 7\ndata: a\ndata: b\n\n');
    expect(out).toEqual([{ event: 'message', data: 'a\nb', id: '7' }]);
  });

  it('understands CRLF and CR line ends, even a CRLF split between chunks', () => {
    const p = new SseParser();
    expect(p.push('data: x\r')).toEqual([]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'message', data: 'x' }]);
    // A CR at the very end may be half of a CRLF: the event completes with the next chunk.
    expect(p.push('data: y\r\r')).toEqual([]);
    expect(p.push('data: z\n\n')).toEqual([
      { event: 'message', data: 'y' },
      { event: 'message', data: 'z' },
    ]);
  });

  it('drops an event without data and resets the name', () => {
    const p = new SseParser();
    expect(p.push('event: call\n\ndata: z\n\n')).toEqual([{ event: 'message', data: 'z' }]);
  });

  it('reads a streamed body to its end', async () => {
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode('event: call\ndata: {"n":1}\n\nevent: ca'));
        c.enqueue(enc.encode('ll\ndata: {"n":2}\n\n'));
        c.close();
      },
    });
    const got: SseEvent[] = [];
    await readEvents(body, (e) => got.push(e));
    expect(got.map((e) => JSON.parse(e.data).n)).toEqual([1, 2]);
  });
});
