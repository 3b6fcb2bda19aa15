/** The `signature` of Salesforce's token answers: base64(HMAC-SHA256(key = client secret, message = id + issued_at)). */
import { createHmac } from 'node:crypto';

export function signature(secret: string, id: string, issuedAt: string): string {
  return createHmac('sha256', secret).update(id + issuedAt).digest('base64');
}
