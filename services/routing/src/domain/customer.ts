// Customer master data as routing sees it; unknown accounts are ordinary customers.
import type { AreaType, Segment } from '@complaints/contracts';

export interface CustomerRecord {
  accountNo: string;
  segment: Segment;
  areaType?: AreaType;
  transformerArea?: string;
  /** Elderly living alone, disabled, low-income: served free even on customer-owned equipment. */
  vulnerable: boolean;
  /** The named account manager, when the directory assigns one. */
  managerId?: string;
  /** Display name of a business account; personal names are not kept here. */
  organisation?: string;
}

export const unknownCustomer = (accountNo: string): CustomerRecord => ({
  accountNo,
  segment: 'ordinary',
  vulnerable: false,
});
