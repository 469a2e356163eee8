// PyTorch's examples/word_language_model/data.py: a word dictionary and a corpus of three
// files turned into int64 tensors of word ids, one `<eos>` after each line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cat, type Tensor, tensor } from '@proj/core';

// Python's str.split() with no argument splits on runs of Unicode whitespace.
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python counts \x1c-\x1f (the separators) as whitespace
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Python's `line.split()`: whitespace-separated words, no empty strings. */
function split(line: string): string[] {
  return line.split(PY_WHITESPACE).filter((w) => w !== '');
}

/** Python's `for line in open(path)`: lines with their newline, no empty last line. */
function lines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .replace(/\r\n?/g, '\n')
    .split(/(?<=\n)/)
    .filter((l) => l !== '');
}

export class Dictionary {
  word2idx = new Map<string, number>();
  idx2word: string[] = [];

  addWord(word: string): number {
    if (!this.word2idx.has(word)) {
      this.idx2word.push(word);
      this.word2idx.set(word, this.idx2word.length - 1);
    }
    return this.word2idx.get(word)!;
  }

  get length(): number {
    return this.idx2word.length;
  }
}

export class Corpus {
  dictionary = new Dictionary();
  train: Tensor;
  valid: Tensor;
  test: Tensor;

  constructor(path: string) {
    this.train = this.tokenize(join(path, 'train.txt'));
    this.valid = this.tokenize(join(path, 'valid.txt'));
    this.test = this.tokenize(join(path, 'test.txt'));
  }

  /** Tokenizes a text file. */
  tokenize(path: string): Tensor {
    if (!existsSync(path)) throw new Error(`Corpus.tokenize: no such file: ${path}`);
    // Add words to the dictionary
    for (const line of lines(path)) {
      const words = [...split(line), '<eos>'];
      for (const word of words) this.dictionary.addWord(word);
    }

    // Tokenize file content
    const idss: Tensor[] = [];
    for (const line of lines(path)) {
      const words = [...split(line), '<eos>'];
      const ids: bigint[] = [];
      for (const word of words) ids.push(BigInt(this.dictionary.word2idx.get(word)!));
      idss.push(tensor(BigInt64Array.from(ids)));
    }
    const ids = cat(idss);
    for (const t of idss) t.dispose();

    return ids;
  }
}
