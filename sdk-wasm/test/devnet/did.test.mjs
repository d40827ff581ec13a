// DIDs with the SDK on a real devnet node: a member's document built from its wallet, the registry's
// Create message, resolved through the node exactly as built; an update whose resulting document the
// SDK computed beforehand, resolved as computed; refusals with codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Chain, ChainError } from '../../js/chain.mjs';
import { required } from '../env.mjs';

const sdk = createRequire(import.meta.url)(path.resolve(required('RESOURCE_SDK_PKG'), 'resource_sdk_wasm.js'));
const net = JSON.parse(readFileSync(required('RESOURCE_SDK_DEVNET'), 'utf8'));
const chain = new Chain(sdk, { rpc: net.rpc, chainId: net.chain_id, prefix: net.prefix, denom: net.denom, gasPrice: Number(net.gas_price) });
const owner = net.did_owner;
const did = `did:resource:${net.chain_id}:${owner.address}`;

test('a member\'s DID: built in the SDK, created, resolved as built, updated as the SDK computed', async () => {
  const wallet = JSON.parse(sdk.walletFromPhrase(owner.phrase, net.prefix));
  const services = [{ id: 'shop', type: 'LinkedDomains', serviceEndpoint: 'https://shop.example' }];
  const document = JSON.parse(sdk.memberDidDocument(net.chain_id, owner.address, wallet.public_key, JSON.stringify(services)));
  assert.equal(document.id, did);
  assert.equal(document.authentication[0], `${did}#key-1`);

  const create = JSON.parse(sdk.didCreateMessage(did, JSON.stringify(document)));
  const created = await chain.execute(owner.phrase, [{ contract: net.registry, msg: create }]);
  assert.ok(created.height > 0);
  const resolved = await chain.resolveDid(net.registry, did);
  assert.deepEqual(resolved.didDocument, document);
  assert.equal(resolved.didDocumentMetadata.versionId, '1');

  const change = { patch: { ops: [{ remove_service: { id: `${did}#shop` } }] } };
  const { msg, document: expected } = JSON.parse(sdk.didUpdateMessage(JSON.stringify(resolved.didDocument), JSON.stringify(change)));
  assert.equal(expected.service, undefined);
  await chain.execute(owner.phrase, [{ contract: net.registry, msg }]);
  const after = await chain.resolveDid(net.registry, did);
  assert.deepEqual(after.didDocument, expected);
  assert.equal(after.didDocumentMetadata.versionId, '2');
  // Version 1 stays resolvable.
  assert.deepEqual((await chain.resolveDid(net.registry, did, { versionId: 1 })).didDocument, document);
});

test('an unknown DID, a DID that is none, and an impossible update are refused with codes', async () => {
  const unknown = `did:resource:${net.chain_id}:${net.merchant}`;
  await assert.rejects(chain.resolveDid(net.registry, unknown), (e) => e instanceof ChainError && e.code === 'did_not_found');
  await assert.rejects(chain.resolveDid(net.registry, 'resource:nothing'), (e) => e.code === 'invalid_did');
  const doc = { id: did, controller: [did] };
  assert.throws(
    () => sdk.didUpdateMessage(JSON.stringify(doc), JSON.stringify({ patch: { ops: [{ remove_service: { id: `${did}#none` } }] } })),
    (e) => e.code === 'invalid_document',
  );
});
