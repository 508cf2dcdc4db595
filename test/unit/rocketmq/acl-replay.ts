// Test helper: a loopback "broker with ACL 2.0 on" answering recorded RocketMQ 5.5.0 frames only to requests signed
// with the right credentials; any other request gets what the broker answers then (NO_PERMISSION 16 with a remark,
// auth/.../chain/DefaultAuthenticationHandler.java), and is counted, so a test sees each unsigned request.
import type { Credentials } from '../../../lib/rocketmq/remoting/acl-sign.ts';
import { ACCESS_KEY, SIGNATURE, signature } from '../../../lib/rocketmq/remoting/acl-sign.ts';
import type { RemotingCommand } from '../../../lib/rocketmq/remoting/frame.ts';
import { type Replay, replayServer, response } from './remoting-recorded.ts';

export interface AclReplay extends Replay {
  /** Request codes that came without a valid signature, in order. */
  refused: number[];
}

/** True when the request carries AccessKey = the user and the Signature RocketMQ would compute with the password. */
export function signedBy(request: RemotingCommand, creds: Credentials): boolean {
  const ext = request.extFields ?? {};
  return (
    ext[ACCESS_KEY] === creds.username &&
    ext[SIGNATURE] === signature(ext, request.body, creds.password)
  );
}

const refusal = (req: RemotingCommand): RemotingCommand => ({
  code: 16,
  language: 'JAVA',
  version: 513,
  opaque: req.opaque,
  flag: 1,
  remark: 'check signature failed',
});

/**
 * Starts the server; `answers` maps a request code to a recorded frame name (or a response), other codes get an
 * empty SUCCESS.
 */
export async function aclReplay(
  creds: Credentials,
  answers: Record<number, string | RemotingCommand>,
): Promise<AclReplay> {
  const refused: number[] = [];
  const replay = await replayServer((req) => {
    if (!signedBy(req, creds)) {
      refused.push(req.code);
      return refusal(req);
    }
    const answer = answers[req.code];
    if (answer === undefined)
      return { code: 0, language: 'JAVA', version: 513, opaque: req.opaque, flag: 1 };
    return typeof answer === 'string' ? response(answer) : answer;
  });
  return { ...replay, refused };
}
