// Seeded datasets for the macro benchmark. Everything here is deterministic for a given
// (dataset, scale, seed), so a child process can rebuild exactly the data its reference
// output (bench/.cache/) was made from.
//
// Sizes at scale 1: records ≈ 200 MB, strings ≈ 100 MB, deep ≈ 100 MB of compact JSON.
// Rules the data follows so the oracles stay exact:
//  - no integer-like object keys ("10", "2"): JS objects would reorder them, which would
//    break the sortKeys oracle (a replacer that rebuilds objects with sorted keys);
//  - no integral numbers beyond 2^53: CPython's json.load would read them back as int,
//    while the python dialect writes them as repr(float).

import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** mulberry32: small, fast, good enough for test data. Returns floats in [0, 1). */
export function makeRng(seed) {
  let a = seed >>> 0;
  return function rng() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rng, list) => list[(rng() * list.length) | 0];

// ---------------------------------------------------------------- records
const FIRST = ['Zoë', 'José', 'Ana', 'Łukasz', 'Søren', 'Amélie', 'Jürgen', 'Oliver', 'Mia',
  'Noah', 'Emma', 'Björn', 'Chloé', 'Dmitri', 'Aiko', 'Sven', 'Zoltán', 'Grace', 'Liam', 'Åsa',
  'Иван', 'Мария', '李娜', '太郎', 'Nuñez', 'François', 'Ömer', 'Ingrid', 'Sarah', 'Tomás'];
const FIRST_ASCII = ['zoe', 'jose', 'ana', 'lukasz', 'soren', 'amelie', 'jurgen', 'oliver', 'mia',
  'noah', 'emma', 'bjorn', 'chloe', 'dmitri', 'aiko', 'sven', 'zoltan', 'grace', 'liam', 'asa',
  'ivan', 'maria', 'li.na', 'taro', 'nunez', 'francois', 'omer', 'ingrid', 'sarah', 'tomas'];
const LAST = ['Müller', 'García', 'Smith', 'Nowak', 'Ødegaard', 'Dubois', 'Rossi', 'Kowalski',
  'Johnson', 'Núñez', 'Schäfer', 'Yılmaz', 'Petrov', 'Иванов', 'Tanaka', 'O\'Brien', 'Brown',
  'Lindqvist', 'Horváth', 'Nguyễn'];
const LAST_ASCII = ['muller', 'garcia', 'smith', 'nowak', 'odegaard', 'dubois', 'rossi',
  'kowalski', 'johnson', 'nunez', 'schafer', 'yilmaz', 'petrov', 'ivanov', 'tanaka', 'obrien',
  'brown', 'lindqvist', 'horvath', 'nguyen'];
const CITIES = ['Zürich', 'São Paulo', 'Kraków', 'Montréal', 'Reykjavík', 'Berlin', 'Tokyo',
  'New York', 'Москва', 'Malmö', 'Dublin', 'Lyon'];
const COUNTRIES = ['CH', 'BR', 'PL', 'CA', 'IS', 'DE', 'JP', 'US', 'RU', 'SE', 'IE', 'FR'];
const STATUS = ['active', 'pending', 'suspended', 'closed'];
const DAY = 86400000;
const EPOCH = Date.UTC(2015, 0, 1);

const hex8 = (rng) => ((rng() * 4294967296) >>> 0).toString(16).padStart(8, '0');

function uuid(rng) {
  const a = hex8(rng), b = hex8(rng), c = hex8(rng), d = hex8(rng);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

/** One database-like row (≈ 500 bytes of compact JSON). Row i depends only on (seed, i). */
export function makeRow(seed, i) {
  const rng = makeRng(seed * 1000003 + i);
  const f = (rng() * FIRST.length) | 0;
  const l = (rng() * LAST.length) | 0;
  const created = EPOCH + Math.floor(rng() * 3000 * DAY);
  const r = rng();
  return {
    id: i + 1,
    uuid: uuid(rng),
    name: FIRST[f] + ' ' + LAST[l],
    email: `${FIRST_ASCII[f]}.${LAST_ASCII[l]}${i % 1000}@example.com`,
    status: pick(rng, STATUS),
    score: rng() * 1000, // 17 significant digits
    balance: Math.round((rng() - 0.3) * 1e7) / 100 + 0, // money-like, 2 decimals (+ 0: never -0)
    ratio: r < 0.05 ? r * 1e-6 : r, // sometimes tiny: 1e-7-ish (python repr: 1e-07 form)
    active: rng() < 0.7,
    verified: rng() < 0.5 ? null : rng() < 0.5,
    manager_id: rng() < 0.2 ? null : ((rng() * 100000) | 0),
    deleted_at: rng() < 0.9 ? null : new Date(created + 400 * DAY).toISOString(),
    created_at: new Date(created).toISOString(),
    login_count: (rng() * 5000) | 0,
    address: {
      street: `${(rng() * 999 + 1) | 0} ${pick(rng, LAST)} Street`,
      city: pick(rng, CITIES),
      country: pick(rng, COUNTRIES),
      geo: { lat: rng() * 180 - 90, lon: rng() * 360 - 180 },
    },
    tags: rng() < 0.5 ? ['customer', 'newsletter'] : ['vip'],
  };
}

export const RECORDS_ROWS = 400000; // ≈ 200 MB compact at scale 1

export const recordCount = (scale) => Math.max(1, Math.round(RECORDS_ROWS * scale));

export function records(scale, seed) {
  const n = recordCount(scale);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = makeRow(seed, i);
  return out;
}

/** The same rows as records(), produced one at a time: nothing holds them all. */
export function* recordsGen(n, seed) {
  for (let i = 0; i < n; i++) yield makeRow(seed, i);
}

export async function* recordsAsyncGen(n, seed) {
  for (let i = 0; i < n; i++) yield makeRow(seed, i);
}

// ---------------------------------------------------------------- strings
// Weighted pieces: quotes, backslashes, control characters (C0 and DEL), non-ASCII, emoji.
const PIECES = [
  ['plain ascii text ', 12], ['"', 4], ['\\', 3], ['\n', 2], ['\t', 2], ['\r', 1], ['\b', 1],
  ['\f', 1], ['\u0000', 1], ['\u0001', 1], ['\u001f', 1], ['\u007f', 1], ['é', 3], ['ß', 1],
  ['Ж', 2], ['中文', 2], ['日本語', 1], ['€', 1], ['\u2028', 1], ['\u00a0', 1], ['😀', 2],
  ['👩‍💻', 1], ['𝄞', 1], ['</script>', 1], ['{"k":"v"}', 1], ['C:\\path\\to\\file', 1],
];
const PIECE_TABLE = PIECES.flatMap(([s, w]) => Array(w).fill(s));

function messyString(rng, maxPieces) {
  let s = '';
  const n = 1 + ((rng() * maxPieces) | 0);
  for (let i = 0; i < n; i++) s += PIECE_TABLE[(rng() * PIECE_TABLE.length) | 0];
  // very rarely a lone surrogate: JSON.stringify writes it as \udXXX (well-formed JSON)
  if (rng() < 0.0005) s += rng() < 0.5 ? '\ud800' : '\udfff';
  return s;
}

export const STRINGS_ITEMS = 1700000; // ≈ 100 MB compact at scale 1

export function strings(scale, seed) {
  const rng = makeRng(seed ^ 0x5157);
  const n = Math.max(1, Math.round(STRINGS_ITEMS * scale));
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    if (rng() < 0.8) {
      out[i] = messyString(rng, 12);
    } else {
      // object keys that need escaping too
      out[i] = { 'say "hi"': messyString(rng, 4), 'ключ\\': messyString(rng, 4), '\u0007bell': i };
    }
  }
  return out;
}

// ---------------------------------------------------------------- deep
// A forest of trees, every path exactly DEPTH levels deep (each inner node has 1 or 2 kids).
export const DEEP_DEPTH = 20;
export const DEEP_TREES = 3000; // ≈ 100 MB compact at scale 1

function tree(rng, level, counter) {
  const id = counter.n++;
  const node = { id, name: 'node-' + id.toString(36), w: Math.round(rng() * 1e6) / 1e3 };
  if (level === DEEP_DEPTH) {
    node.leaf = true;
    node.tags = rng() < 0.5 ? ['x'] : [];
    return node;
  }
  const k = rng() < 0.3 ? 2 : 1;
  const kids = new Array(k);
  for (let i = 0; i < k; i++) kids[i] = tree(rng, level + 1, counter);
  node.kids = kids;
  return node;
}

export function deep(scale, seed) {
  const rng = makeRng(seed ^ 0xdee9);
  const n = Math.max(1, Math.round(DEEP_TREES * scale));
  const counter = { n: 0 };
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { tree: i, root: tree(rng, 1, counter) };
  return out;
}

// ---------------------------------------------------------------- people
// Rows of a user table as a database driver returns them, written to be unlike `records`:
// nearly every string short and non-ASCII (names, streets, cities in a dozen scripts, most of
// them outside Latin-1, so V8 holds them as two-byte strings), ISO dates as strings, a nested
// address and a small array per row. About 350 bytes of compact JSON per row.
const P_FIRST = ['Zoë', 'Łukasz', 'Dvořák', 'Şebnem', 'Ngọc Anh', 'Αθηνά', 'Дмитрий', 'Ольга',
  '美咲', '건우', 'Иван', 'José', 'Øystein', 'Ágnes', 'Jiří', 'Ślęzak', 'Gülşen', 'Thảo',
  'Σοφία', 'Юлия', '陽翔', '민준', 'Aoife', 'Björk', 'Zsófia', 'Mārtiņš', 'Đức', 'Nikolaï'];
const P_LAST = ['Kowalczyk', 'Wiśniewski', 'Novák', 'Yıldırım', 'Nguyễn', 'Παπαδόπουλος',
  'Кузнецов', 'Смирнова', '佐藤', '김', 'Hernández', 'Søndergaard', 'Szabó', 'Dvořáková',
  'Şahin', 'Trần', 'Γεωργίου', 'Попов', '高橋', '박', 'Ó Súilleabháin', 'Müller-Lüdenscheidt'];
const P_STREETS = ['ulica Świętokrzyska', 'Şehit Mehmet Sokağı', 'Улица Льва Толстого', '中山路',
  'Đường Lê Lợi', 'Οδός Ερμού', 'Calle de Alcalá', 'Vinohradská třída', 'Andrássy út',
  'Brīvības iela', 'Straße des 17. Juni', '세종대로', 'Nevsky prospekt', 'Rue de la Pâquerette'];
const P_CITIES = ['Kraków', 'İstanbul', 'Москва', '東京', 'Hà Nội', 'Αθήνα', 'Łódź', 'Göteborg',
  'Praha', 'Budapest', 'Rīga', '서울', 'São Paulo', 'Zürich', 'Санкт-Петербург', '大阪'];
const P_COUNTRIES = ['PL', 'TR', 'RU', 'JP', 'VN', 'GR', 'SE', 'CZ', 'HU', 'LV', 'KR', 'BR', 'CH'];
const P_TAGS = ['client', 'fournisseur', 'поставщик', 'VIP', '常連', 'müşteri', 'nowy', 'ελλ'];

const pad2 = (n) => (n < 10 ? '0' : '') + n;

/** One row of the people table. Row i depends only on (seed, i). */
export function makePerson(seed, i) {
  const rng = makeRng(seed * 7919 + i);
  const created = EPOCH + Math.floor(rng() * 3000 * DAY);
  const first = pick(rng, P_FIRST);
  const last = pick(rng, P_LAST);
  const tags = [];
  for (let t = (rng() * 3) | 0; t >= 0; t--) tags.push(pick(rng, P_TAGS));
  return {
    id: 100000 + i,
    first_name: first,
    last_name: last,
    email: `user${i}@example.org`,
    birth_date: `${1940 + ((rng() * 65) | 0)}-${pad2(1 + ((rng() * 12) | 0))}-${pad2(1 + ((rng() * 28) | 0))}`,
    created_at: new Date(created).toISOString(),
    updated_at: rng() < 0.3 ? null : new Date(created + Math.floor(rng() * 400 * DAY)).toISOString(),
    address: {
      street: `${pick(rng, P_STREETS)} ${1 + ((rng() * 200) | 0)}`,
      city: pick(rng, P_CITIES),
      postcode: String(10000 + ((rng() * 89999) | 0)),
      country: pick(rng, P_COUNTRIES),
    },
    tags,
    balance: Math.round((rng() - 0.2) * 1e6) / 100 + 0,
    active: rng() < 0.8,
  };
}

export const PEOPLE_ROWS = 570000; // ≈ 200 MB compact at scale 1

export function people(scale, seed) {
  const n = Math.max(1, Math.round(PEOPLE_ROWS * scale));
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = makePerson(seed, i);
  return out;
}

// ---------------------------------------------------------------- texts
// Documents with long texts (about 1.3 kB of JSON each), unlike the short `strings`: heavy in
// characters JSON escapes (quotes, backslashes, C0 controls), and in ones it does not (C1
// controls, U+2028/U+2029, DEL), emoji ZWJ sequences, CJK, and now and then a lone surrogate;
// each document has a key holding quotes and a line break.
const T_PIECES = [
  ['The quick brown fox jumps over the lazy dog. ', 10], ['"quoted"', 3], ['C:\\Users\\x', 2],
  ['\n', 4], ['\r\n', 2], ['\t', 3], ['\u0000', 1], ['\u0007', 1], ['\u001b[0m', 1],
  ['\u0085', 1], ['\u0090', 1], ['\u009f', 1], ['\u007f', 1], ['\u2028', 2], ['\u2029', 1],
  ['👩‍👩‍👧‍👦', 2], ['🏳️‍🌈', 1], ['👨🏽‍💻', 2], ['🇯🇵', 1], ['漢字かな交じり文。', 4],
  ['中文文本，包含标点。', 3], ['한국어 문장입니다. ', 2], ['Ünïcödé façade ', 3], ['…', 2],
];
const T_TABLE = T_PIECES.flatMap(([s, w]) => Array(w).fill(s));

function longText(rng, pieces) {
  const parts = [];
  for (let i = 0; i < pieces; i++) {
    parts.push(T_TABLE[(rng() * T_TABLE.length) | 0]);
    if (rng() < 0.002) parts.push(rng() < 0.5 ? '\ud83d' : '\udc00'); // lone surrogates
  }
  return parts.join('');
}

export const TEXTS_DOCS = 75000; // ≈ 100 MB compact at scale 1

export function texts(scale, seed) {
  const rng = makeRng(seed ^ 0x7e47);
  const n = Math.max(1, Math.round(TEXTS_DOCS * scale));
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      id: i,
      title: longText(rng, 2 + ((rng() * 3) | 0)),
      body: longText(rng, 25 + ((rng() * 75) | 0)),
      'note "to self"\nsecond line': rng() < 0.5 ? null : longText(rng, 1 + ((rng() * 4) | 0)),
      lang: pick(rng, ['en', 'ja', 'zh', 'ko', 'de']),
      revision: (rng() * 100) | 0,
    };
  }
  return out;
}

// ---------------------------------------------------------------- forest
// Subtrees 20 levels deep, unlike the regular `deep` trees: a spine reaches level 20 and
// every node has 0 to 3 further children (near-critical branching), so subtree sizes vary
// widely, from a few kB to far more than a plain run; nodes carry a short title, a nested
// meta object and a small array. About 30 kB of compact JSON per subtree.
export const FOREST_DEPTH = 20;
export const FOREST_TREES = 3500; // ≈ 100 MB compact at scale 1
const F_KINDS = ['section', 'paragraph', 'list', 'item', 'figure', 'note'];
const F_TITLES = ['Einführung', 'Résumé', 'Überblick', 'Введение', '概要', 'Σύνοψη', 'Notes', 'Détails'];
const F_SENTENCES = ['Der Bericht fasst die Ergebnisse zusammen.', 'Le comité a approuvé la révision.',
  'Отчёт утверждён без замечаний.', '本章では設計の概要を述べる。', 'Η ενότητα περιγράφει τη μέθοδο.',
  'See the appendix for the full table.', 'Wyniki zostały zweryfikowane.', '이 절에서는 결과를 요약한다.'];

function forestNode(rng, level, spine, counter) {
  const id = counter.n++;
  const node = {
    id,
    kind: pick(rng, F_KINDS),
    title: `${pick(rng, F_TITLES)} ${level}.${id % 100}`,
    text: `${pick(rng, F_SENTENCES)} ${pick(rng, F_SENTENCES)}`,
    meta: { weight: Math.round(rng() * 1e4) / 100, edited: new Date(EPOCH + id * 6e4).toISOString() },
    refs: rng() < 0.3 ? [id - 1] : [],
  };
  if (level < FOREST_DEPTH) {
    const r = rng();
    const extra = r < 0.4 ? 0 : r < 0.75 ? 1 : r < 0.93 ? 2 : 3;
    const children = [];
    if (spine) children.push(forestNode(rng, level + 1, true, counter));
    for (let k = 0; k < extra; k++) children.push(forestNode(rng, level + 1, false, counter));
    if (children.length) node.children = children;
  }
  return node;
}

export function forest(scale, seed) {
  const rng = makeRng(seed ^ 0xf0e5);
  const n = Math.max(1, Math.round(FOREST_TREES * scale));
  const counter = { n: 0 };
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = forestNode(rng, 1, true, counter);
  return out;
}

// ---------------------------------------------------------------- nested
// Deep trees built unlike `deep` (recursive, every node the same four keys and a `kids` array)
// and `forest` (documents with long strings): each root is wide (8 subtrees under one-letter
// keys), every subtree is 20 to 28 levels of objects nested directly in objects (no arrays
// between levels), made breadth-first from a queue; a node holds two to four short scalars
// under one- or two-letter keys, and a leaf ends in a small array of numbers or short strings.
export const NESTED_ROOT_WIDTH = 8;
export const NESTED_ROOTS = 3000; // ≈ 100 MB compact at scale 1
const N_CHILD_KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const N_WORDS = ['ok', 'on', 'off', 'red', 'new', 'x1', 'tmp', 'über', 'é'];

/** One root: its nodes are filled in breadth-first order, each child pushed onto the queue. */
function nestedRoot(rng, counter) {
  const depth = 20 + ((rng() * 9) | 0);
  const root = { r: counter.n++ };
  const queue = [root];
  const levels = [0];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q];
    const level = levels[q];
    if (level !== 0) {
      node.n = counter.n++;
      if (rng() < 0.7) node.v = Math.round(rng() * 1e5) / 100;
      if (rng() < 0.4) node.s = pick(rng, N_WORDS);
      if (rng() < 0.3) node.ok = rng() < 0.5;
    }
    if (level === depth) {
      const len = (rng() * 5) | 0;
      const text = rng() < 0.3;
      node.xs = Array.from({ length: len }, () => (text ? pick(rng, N_WORDS) : (rng() * 1000) | 0));
      continue;
    }
    // Mostly a chain, sometimes a fork: a subtree keeps a few hundred nodes at 20+ levels.
    const width = level === 0 ? NESTED_ROOT_WIDTH : rng() < 0.12 ? 2 : 1;
    for (let k = 0; k < width; k++) {
      const child = {};
      node[N_CHILD_KEYS[k]] = child;
      queue.push(child);
      levels.push(level + 1);
    }
  }
  return root;
}

export function nested(scale, seed) {
  const rng = makeRng(seed ^ 0x4e57);
  const n = Math.max(1, Math.round(NESTED_ROOTS * scale));
  const counter = { n: 0 };
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = nestedRoot(rng, counter);
  return out;
}

// ---------------------------------------------------------------- registry
/**
 * Rebuilds the elements through JSON, a few at a time. Concatenated strings are V8 cons
 * strings, which the first serializer to touch them pays to flatten; rows from a database
 * driver or JSON.parse are flat. Same values (the data never has -0), fresh flat strings.
 */
function flatten(array) {
  for (let i = 0; i < array.length; i += 1000) {
    const part = JSON.parse(JSON.stringify(array.slice(i, i + 1000)));
    for (let j = 0; j < part.length; j++) array[i + j] = part[j];
  }
  return array;
}

/**
 * build(name, scale, seed) → { value, rows, materialize }.
 * For the lazy datasets `value` is a fresh generator; `materialize()` returns the same
 * rows as an array (sync) or a promise of one (async), for the native baseline.
 */
export function build(name, scale, seed) {
  switch (name) {
    case 'records': return { value: flatten(records(scale, seed)) };
    case 'strings': return { value: flatten(strings(scale, seed)) };
    case 'deep': return { value: flatten(deep(scale, seed)) };
    case 'people': return { value: flatten(people(scale, seed)) };
    case 'texts': return { value: flatten(texts(scale, seed)) };
    case 'forest': return { value: flatten(forest(scale, seed)) };
    case 'nested': return { value: flatten(nested(scale, seed)) };
    case 'lazy-sync': {
      const n = recordCount(scale);
      return { value: recordsGen(n, seed), rows: n, materialize: () => Array.from(recordsGen(n, seed)) };
    }
    case 'lazy-async': {
      const n = recordCount(scale);
      return {
        value: recordsAsyncGen(n, seed), rows: n,
        materialize: async () => {
          const arr = [];
          for await (const r of recordsAsyncGen(n, seed)) arr.push(r);
          return arr;
        },
      };
    }
    default: throw new Error(`unknown dataset ${name}`);
  }
}

/**
 * Writes the elements of a materialized dataset as JSON Lines, and reads them back: loading
 * 200 MB this way takes a second or two, generating it takes several, and it yields the same
 * values with flat strings (build() already passes everything through JSON).
 */
export function saveJsonl(array, file) {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < array.length; i += 1000) {
      fs.writeSync(fd, array.slice(i, i + 1000).map((x) => JSON.stringify(x) + '\n').join(''));
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function loadJsonl(file) {
  const out = [];
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.allocUnsafe(8 << 20);
  const fd = fs.openSync(file, 'r');
  let rest = '';
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const lines = (rest + decoder.write(buf.subarray(0, n))).split('\n');
      rest = lines.pop();
      for (const line of lines) out.push(JSON.parse(line));
    }
  } finally {
    fs.closeSync(fd);
  }
  if (rest) out.push(JSON.parse(rest));
  return out;
}

/** Which dataset's reference output a dataset shares (lazy rows are the records rows). */
export const referenceDataset = (name) => (name.startsWith('lazy') ? 'records' : name);

export const DATASETS = ['records', 'strings', 'deep', 'people', 'texts', 'forest', 'nested', 'lazy-sync', 'lazy-async'];
