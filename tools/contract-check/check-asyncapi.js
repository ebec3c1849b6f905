#!/usr/bin/env node
// What a partner's tools say about our AsyncAPI document, printed diagnostic by diagnostic:
//  1. the official parser (@asyncapi/parser, the library behind the AsyncAPI CLI, generator and Studio);
//  2. ajv in JSON Schema 2020-12 strict mode on every payload schema the document references, and every
//     message example validated against its payload. The parser checks examples only in AsyncAPI 2.x
//     (its rule asyncapi2-message-examples); for a 3.0 document nothing in it would notice a stale example.
// Exit 1 on any error (or on any warning with --strict), 0 otherwise.
//
//     node tools/contract-check/check-asyncapi.js docs/events/*asyncapi.json [--strict] [--json]
// --json also lists the operations as the parser's model reads them (id, send or receive, channel
// addresses, message names): what a generator built on the parser would build.
'use strict';
const fs = require('fs');
const path = require('path');
const { Parser, fromFile } = require('@asyncapi/parser');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const SEVERITY = { 0: 'error', 1: 'warning', 2: 'information', 3: 'hint' };

// The operations as the parser's model gives them to a code generator: who does what, where, with what.
function operationsOf(document) {
  return document.operations().all().map((op) => ({
    id: op.id(),
    action: op.action(),
    channels: op.channels().all().map((c) => c.address()),
    messages: op.messages().all().map((m) => m.name()),
  }));
}

async function parserDiagnostics(source, model) {
  const { document, diagnostics } = await fromFile(new Parser(), source).parse();
  if (document !== undefined) model.operations = operationsOf(document);
  const found = diagnostics.map((d) => ({
    tool: 'parser',
    severity: SEVERITY[d.severity] || String(d.severity),
    code: String(d.code),
    path: (d.path || []).join('.'),
    message: d.message,
  }));
  if (document === undefined && !found.some((d) => d.severity === 'error')) {
    found.push({ tool: 'parser', severity: 'error', code: 'not-parsed', path: '', message: 'no document' });
  }
  return found;
}

// Every example in components.messages against its payload schema (a relative $ref to a file).
function exampleDiagnostics(source, checked) {
  const found = [];
  const doc = JSON.parse(fs.readFileSync(source, 'utf8'));
  const messages = (doc.components && doc.components.messages) || {};
  for (const [name, message] of Object.entries(messages)) {
    const where = `components.messages.${name}`;
    const ref = message.payload && message.payload.$ref;
    if (typeof ref !== 'string' || ref.startsWith('#')) {
      found.push({ tool: 'ajv', severity: 'error', code: 'payload-not-a-file', path: where, message: 'payload is not a $ref to a schema file' });
      continue;
    }
    let validate;
    try {
      const schema = JSON.parse(fs.readFileSync(path.resolve(path.dirname(source), ref), 'utf8'));
      const ajv = new Ajv2020({ strict: true, allErrors: true });
      addFormats(ajv);
      validate = ajv.compile(schema);
      checked.schemas += 1;
    } catch (err) {
      found.push({ tool: 'ajv', severity: 'error', code: 'schema-invalid', path: `${where}.payload`, message: `${ref}: ${err.message}` });
      continue;
    }
    const examples = message.examples || [];
    if (examples.length === 0) {
      found.push({ tool: 'ajv', severity: 'warning', code: 'no-example', path: where, message: 'message has no example' });
    }
    examples.forEach((example, i) => {
      checked.examples += 1;
      if (!validate(example.payload)) {
        for (const e of validate.errors) {
          found.push({ tool: 'ajv', severity: 'error', code: 'example-invalid', path: `${where}.examples.${i}.payload${e.instancePath.replace(/\//g, '.')}`,
                       message: `${e.message} (${e.schemaPath})` });
        }
      }
    });
  }
  return found;
}

async function check(file) {
  // An absolute source: the parser resolves the document's relative $refs (schemas/*.json) from it.
  const source = path.resolve(file);
  const checked = { schemas: 0, examples: 0 };
  const model = { operations: [] };
  const found = [...await parserDiagnostics(source, model), ...exampleDiagnostics(source, checked)];
  const count = (s) => found.filter((d) => d.severity === s).length;
  const summary = { errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint'),
                    schemasCompiled: checked.schemas, examplesChecked: checked.examples };
  return { summary, diagnostics: found, operations: model.operations };
}

async function main(argv) {
  const files = argv.filter((a) => !a.startsWith('--'));
  const strict = argv.includes('--strict');
  const asJson = argv.includes('--json');
  if (files.length === 0) {
    process.stderr.write('usage: check-asyncapi.js DOCUMENT... [--strict] [--json]\n');
    return 2;
  }
  const reports = {};
  for (const file of files) reports[file] = await check(file);
  if (asJson) {
    process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
  } else {
    for (const [file, { summary, diagnostics }] of Object.entries(reports)) {
      process.stdout.write(`${file}\n`);
      for (const d of diagnostics) process.stdout.write(`  ${d.tool} ${d.severity} ${d.code} ${d.path}: ${d.message}\n`);
      process.stdout.write(`  ${summary.errors} errors, ${summary.warnings} warnings, ${summary.information} information, `
        + `${summary.hints} hints; ${summary.schemasCompiled} payload schemas compiled and ${summary.examplesChecked} `
        + 'examples checked by ajv (2020-12, strict)\n');
    }
  }
  const failed = Object.values(reports).some(({ summary }) => summary.errors > 0 || (strict && summary.warnings > 0));
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`check-asyncapi: ${(err && err.stack) || err}\n`);
  process.exitCode = 2;
});
