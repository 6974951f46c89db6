// A dissatisfied callback reopens the complaint one grade higher: the escalation ladder as a table.
import type { Grade } from '@complaints/contracts';

/** general (一般) → important (重要) → major (重大) → special (特殊); special is the top and stays. */
export const NEXT_GRADE: Record<Grade, Grade> = {
  general: 'important',
  important: 'major',
  major: 'special',
  special: 'special',
};

export const raiseGrade = (grade: Grade): Grade => NEXT_GRADE[grade];
