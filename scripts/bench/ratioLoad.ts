import http from 'node:http';
import type { Question } from './ratioQuestions.js';

export interface LoadResult {
  answered: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
}

/** A closed loop: `connections` keep-alive connections, each sending the next question as soon as it has an answer. */
export async function drive(
  url: string,
  questions: readonly Question[],
  connections: number,
  limit: { seconds?: number; requests?: number },
  cursor: { next: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL('/api/messages', url);
  const latenciesMs: number[] = [];
  let answered = 0;
  let failed = 0;
  let sent = 0;
  const started = performance.now();
  const end = limit.seconds === undefined ? Infinity : started + limit.seconds * 1000;
  const one = (body: Buffer) =>
    new Promise<number>((resolve) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < end && (limit.requests === undefined || sent < limit.requests)) {
      sent += 1;
      const question = questions[cursor.next % questions.length]!;
      cursor.next += 1;
      const t0 = performance.now();
      const status = await one(question.body);
      latenciesMs.push(performance.now() - t0);
      if (status === 200) answered += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { answered, failed, seconds, latenciesMs };
}
