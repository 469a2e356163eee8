import type { Subject } from '../types.js';
import { oursSubjects } from './ours.js';
import { pytorchSubjects } from './pytorch.js';
import { tfjsSubjects } from './tfjs.js';

/**
 * Every source of subjects, in table column order. Each lists the subjects it can offer; a new
 * reference library is one file plus one entry here.
 */
export const SUBJECT_SOURCES: { name: string; list: () => Promise<Subject[]> }[] = [
  { name: 'ours', list: oursSubjects },
  { name: 'tfjs', list: tfjsSubjects },
  { name: 'pytorch', list: pytorchSubjects },
];
