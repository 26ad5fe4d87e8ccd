import assert from 'node:assert/strict';
import sinon from 'sinon';
import { channelInvoke, channelMessage, postActivity } from '../../fakes/channelClient.js';
import { chatWith, STORSJO } from '../fixtures/sampleApp.js';
import { useLogLines } from '../fixtures/logLines.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';

/**
 * Every log line written during a turn carries the activity's and the conversation's ids (issue 14), on both hosts,
 * warnings and errors included, so an operator can gather one turn's lines (and find its trace, which has the same
 * ids).
 */

for (const host of HOSTS)
  describe(`log lines of a turn, ${host} host`, () => {
    const server = useTestServer({ host, sample: true });
    const log = useLogLines();
    afterEach(() => sinon.restore());

    it('carry activityId and conversationId: a question, a click on an unknown verb, a click whose store fails', async () => {
      const chat = chatWith(STORSJO.lina, server.connector.serviceUrl);
      const click = (verb: string, data: Record<string, unknown>) =>
        channelInvoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data } }, chat);
      // The request store fails unexpectedly: the click's handler logs an error inside the turn.
      sinon.stub(server.sample.requests, 'get').rejects(new Error('disk on fire'));
      const activities = [
        channelMessage({ ...chat, text: 'vem äger Public 360' }),
        click('no.such.verb', {}),
        click('request.show', { requestId: '00000000-0000-0000-0000-000000000000' }),
      ];
      const levels: number[] = [];
      for (const activity of activities) {
        const before = log.lines.length;
        assert.ok((await postActivity(server.sample.app.url, activity)).status < 500, 'no 5xx');
        const written = log.lines.slice(before);
        assert.ok(written.length > 0, `the turn of ${activity.id} logged something at debug level`);
        for (const line of written) {
          assert.equal(line.activityId, activity.id, `"${line.msg}" carries the activity id`);
          assert.equal(
            line.conversationId,
            activity.conversation.id,
            `"${line.msg}" carries the conversation id`,
          );
        }
        levels.push(Math.max(...written.map((l) => l.level)));
      }
      assert.deepEqual(levels.slice(1), [40, 50], 'a warning and an error were among them');
    });
  });
