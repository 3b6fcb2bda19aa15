/** The fake org's Metadata API over SOAP: deploy, checkDeployStatus, and its faults. */
import { expect } from 'chai';
import { FakeOrg } from '../server.js';
import { call, HELLO_ZIP, mint, soapEnvelope } from '../../support/orgClient.js';

describe('FakeOrg Metadata API (SOAP)', () => {
  let org: FakeOrg;
  let token: string;
  before(async () => {
    org = await FakeOrg.start();
    token = (await mint(org)).access_token;
  });
  after(async () => {
    await org.stop();
  });

  const soap = (session: string, inner: string): ReturnType<typeof call> =>
    call(org, 'POST', '//services/Soap/m/65.0', { body: soapEnvelope(session, inner), headers: { 'Content-Type': 'text/xml', SOAPAction: '""' } });

  it('deploys and reports the components as succeeded, with namespace-prefixed Envelope and Body', async () => {
    const dep = await soap(token, `<deploy><ZipFile>${HELLO_ZIP.toString('base64')}</ZipFile><DeployOptions><checkOnly>false</checkOnly><singlePackage>true</singlePackage></DeployOptions></deploy>`);
    expect(dep.status).to.equal(200);
    expect(dep.text).to.match(/<soapenv:Envelope [^>]*><soapenv:Body><deployResponse><result>/);
    const id = /<id>(0Af\w{15})<\/id>/.exec(dep.text)?.[1];
    expect(id).to.be.a('string');
    const status = await soap(token, `<checkDeployStatus><asyncProcessId>${String(id)}</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>`);
    expect(status.text).to.include('<done>true</done>');
    expect(status.text).to.include('<status>Succeeded</status>');
    expect(status.text).to.include('<numberComponentsDeployed>1</numberComponentsDeployed>');
    expect(status.text).to.match(/<componentSuccesses><changed>true<\/changed><componentType>ApexClass<\/componentType>.*<fileName>classes\/Hello.cls<\/fileName><fullName>Hello<\/fullName>/);
  });

  it('answers a bad session with a 500 sf:INVALID_SESSION_ID fault', async () => {
    const res = await soap('00DFK0000000001!AQbogus', '<checkDeployStatus><asyncProcessId>x</asyncProcessId></checkDeployStatus>');
    expect(res.status).to.equal(500);
    expect(res.text).to.match(/<faultcode>sf:INVALID_SESSION_ID<\/faultcode>/);
    expect(res.text).to.include('<soapenv:Fault>');
  });
});
