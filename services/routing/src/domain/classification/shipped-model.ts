// The text model the service ships: trained on every labelled complaint by scripts/train-classifier-model.ts and committed as integer counts.
import { TextModel, type TextModelWeights } from './text-model';
import weights from './text-model-weights.json';

/** Built once at module load (~0.1 s): the committed counts become log-likelihood tables. */
export const SHIPPED_TEXT_MODEL = new TextModel(weights as TextModelWeights);
