import { inspect } from 'node:util';
import { expect } from 'chai';
import type { AuthFields } from '@salesforce/core';
import { SfError } from '@salesforce/core/sfError';
import { loadMessages } from '../../src/shared/messages.js';
import { cleanServerText, printable, REDACTED, redactAuthFields, redactError, redactText } from '../../src/shared/redaction.js';

describe('redaction', () => {
  describe('redactAuthFields', () => {
    const fields: AuthFields = {
      username: 'ci@acme.com',
      orgId: '00DXX0000000001EAA',
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '00DXX0000000001!AQ4AQsecretpart',
      refreshToken: 'refresh-value',
      clientId: '3MVG9clientid',
      clientSecret: 'client-secret-value',
      password: 'password-value',
    };

    it('masks the access token and drops the secret, refresh token and password', () => {
      const redacted = redactAuthFields(fields);
      expect(redacted.accessToken).to.equal(REDACTED);
      expect(redacted.clientSecret).to.equal(undefined);
      expect(redacted.refreshToken).to.equal(undefined);
      expect(redacted.password).to.equal(undefined);
      const json = JSON.stringify(redacted);
      for (const value of ['AQ4AQsecretpart', 'refresh-value', 'client-secret-value', 'password-value']) {
        expect(json).not.to.include(value);
      }
    });

    it('keeps the other fields and does not change its input', () => {
      const redacted = redactAuthFields(fields);
      expect(redacted).to.include({
        username: 'ci@acme.com',
        orgId: '00DXX0000000001EAA',
        instanceUrl: 'https://acme.my.salesforce.com',
        clientId: '3MVG9clientid',
      });
      expect(fields.accessToken).to.equal('00DXX0000000001!AQ4AQsecretpart');
      expect(fields.clientSecret).to.equal('client-secret-value');
    });

    it('leaves a missing access token missing', () => {
      expect(redactAuthFields({ username: 'u@x.com' } as Record<string, unknown>).accessToken).to.equal(undefined);
    });
  });

  describe('redactText', () => {
    it('replaces every occurrence of every secret', () => {
      expect(redactText('a=abcd1234 b=abcd1234 c=zz99zz', ['abcd1234', 'zz99zz'])).to.equal(
        `a=${REDACTED} b=${REDACTED} c=${REDACTED}`
      );
    });

    it('ignores undefined and very short values, which would mangle the text', () => {
      expect(redactText('a b c abc', [undefined, '', 'a', 'abc'])).to.equal('a b c abc');
    });

    it('treats secrets literally, not as patterns', () => {
      expect(redactText('x=a.b*c+d$ y=aXbbbcd', ['a.b*c+d$'])).to.equal(`x=${REDACTED} y=aXbbbcd`);
    });

    it('returns the text unchanged when no secret occurs', () => {
      expect(redactText('nothing here', ['s3cret-value'])).to.equal('nothing here');
    });
  });

  describe('a secret with control characters inside it', () => {
    const SECRET = 's3cretValue42';
    for (const text of ['bad s3cr\u0007etValue42', 'bad s3\u001b[31mcretValue42', 'bad s3cretVal\u202eue42', 'bad s\u00003cretValue42\u009b']) {
      it(`never shows it: ${JSON.stringify(text)}`, () => {
        expect(cleanServerText(text, [SECRET])).to.equal(`bad ${REDACTED}`);
        // In the other order too: redacted first, then cleaned.
        expect(printable(redactText(text, [SECRET]))).to.not.include(SECRET);
      });
    }

    it('leaves a text without secret as printable() does', () => {
      expect(cleanServerText('plain\u0007 text\n2', [SECRET])).to.equal('plain text 2');
    });
  });

  describe('redactError', () => {
    const SECRET = 'WrappedCauseSecret-0123456789';

    it('takes a secret out of every cause of a wrapped error: what sf prints of it (--json included) holds none', () => {
      const root = Object.assign(new Error(`the server echoed ${SECRET}`), { body: { client_secret: SECRET } });
      const middle = new Error('could not write the file', { cause: root });
      const wrapped = loadMessages('registration').createError('error.RegistrationFailed', ['ci@acme.com', `a reason with ${SECRET}`], [], middle);
      expect(inspect(wrapped, { depth: 10 }), 'the secret is there to be found').to.include(SECRET);

      const redacted = redactError(wrapped, [SECRET]);

      expect(redacted).to.equal(wrapped);
      expect(redacted.cause, 'the cause is kept').to.equal(middle);
      expect((middle.cause as Error).message).to.equal(`the server echoed ${REDACTED}`);
      expect(inspect(redacted, { depth: 10 })).to.not.include(SECRET);
      // What sf-plugins-core's SfCommandError puts in --json as "cause": inspect of SfError.wrap(error).cause.
      const printed = inspect(SfError.wrap(redacted).cause);
      expect(printed).to.include('could not write the file');
      expect(printed).to.not.include(SECRET);
    });
  });

  describe('printable', () => {
    it('drops bidirectional controls, which reorder what a terminal shows', () => {
      const spoof = 'admin\u202e@evil.com\u202c \u2066x\u2069 \u200e\u200f\u061c\u202a\u202b\u202d\u2067\u2068';
      expect(printable(spoof)).to.equal('admin@evil.com x ');
    });

    it('keeps other text, accents and scripts included', () => {
      expect(printable('Société Générale — 株式会社 עברית')).to.equal('Société Générale — 株式会社 עברית');
    });
  });
});
