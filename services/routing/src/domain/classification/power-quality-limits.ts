// Chinese national power-quality limits used to judge values a customer quotes; defaults from GB/T 12325, 15945, 15543, 14549, 12326.

export interface VoltageBand {
  readonly system: string;
  readonly nominal: number;
  /** Allowed deviation from nominal, in percent (lower is negative). */
  readonly lowerPct: number;
  readonly upperPct: number;
  /** Quoted values in this range are read as belonging to this supply system. */
  readonly readsFrom: number;
  readonly readsTo: number;
  readonly standard: string;
}

export interface PowerQualityLimits {
  readonly voltageBands: readonly VoltageBand[];
  readonly frequency: { readonly nominalHz: number; readonly toleranceHz: number; readonly standard: string };
  readonly unbalance: {
    readonly normalPct: number;
    readonly shortTimePct: number;
    readonly standard: string;
  };
  /** Voltage THD limit at 0.38 kV, and at 6–10 kV when the complaint names a medium-voltage supply. */
  readonly harmonics: {
    readonly thdPctLowVoltage: number;
    readonly thdPctMediumVoltage: number;
    readonly standard: string;
  };
  readonly flicker: { readonly plt: number; readonly standard: string };
}

export const DEFAULT_POWER_QUALITY_LIMITS: PowerQualityLimits = {
  voltageBands: [
    // Taiwan supplies 110 V; the same percentages are applied by analogy so a quoted 95 V or 128 V still counts.
    {
      system: '110 V single-phase',
      nominal: 110,
      lowerPct: -10,
      upperPct: 7,
      readsFrom: 80,
      readsTo: 145,
      standard: 'GB/T 12325 percentages',
    },
    {
      system: '220 V single-phase',
      nominal: 220,
      lowerPct: -10,
      upperPct: 7,
      readsFrom: 150,
      readsTo: 300,
      standard: 'GB/T 12325',
    },
    {
      system: '380 V three-phase',
      nominal: 380,
      lowerPct: -7,
      upperPct: 7,
      readsFrom: 300,
      readsTo: 460,
      standard: 'GB/T 12325',
    },
  ],
  frequency: { nominalHz: 50, toleranceHz: 0.2, standard: 'GB/T 15945' },
  unbalance: { normalPct: 2, shortTimePct: 4, standard: 'GB/T 15543' },
  harmonics: { thdPctLowVoltage: 5, thdPctMediumVoltage: 4, standard: 'GB/T 14549' },
  flicker: { plt: 1, standard: 'GB/T 12326' },
};

export function voltageBounds(band: VoltageBand): { readonly min: number; readonly max: number } {
  return {
    min: round1(band.nominal * (1 + band.lowerPct / 100)),
    max: round1(band.nominal * (1 + band.upperPct / 100)),
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
