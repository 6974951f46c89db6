// Signed, expiring survey links: an HS256 JWT naming the callback task, so the customer answers without logging in.
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '@complaints/platform';
import type { Clock } from './clock';

const AUDIENCE = 'complaint-survey';
const ISSUER = 'feedback';

export const surveyProblems = {
  invalid: () =>
    new AppError({
      status: 403,
      type: 'urn:problem:survey-link-invalid',
      title: 'Survey link not valid',
      detail:
        '此回访链接无效（可能被修改或不完整），请使用收到的原始链接。 This survey link is not valid: it was altered or is incomplete. Open the link exactly as you received it.',
    }),
  expired: (expiredAt?: Date) =>
    new AppError({
      status: 410,
      type: 'urn:problem:survey-link-expired',
      title: 'Survey link expired',
      detail: `此回访链接已过期。 This survey link expired${expiredAt ? ` on ${expiredAt.toISOString()}` : ''}; our staff will call you instead.`,
    }),
  answered: () =>
    new AppError({
      status: 409,
      type: 'urn:problem:survey-answered',
      title: 'Survey already answered',
      detail:
        '此回访已完成，感谢您的反馈。 This survey has already been answered; thank you for your feedback.',
    }),
};

export interface VerifiedLink {
  callbackId: string;
  expiresAt: Date;
}

export class SurveyLinks {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly clock: Clock,
    private readonly baseUrl: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(callbackId: string, issuedAt: Date, expiresAt: Date): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(callbackId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
  }

  /** The callback a link names; 403 when it was altered or not ours, 410 when it expired. */
  async verify(token: string): Promise<VerifiedLink> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
        currentDate: this.clock(),
      });
      return { callbackId: payload.sub as string, expiresAt: new Date((payload.exp as number) * 1000) };
    } catch (error) {
      // jose checks the signature before the claims: an expired link that was also altered is "not valid".
      if (error instanceof errors.JWTExpired) {
        const exp = error.payload.exp;
        throw surveyProblems.expired(typeof exp === 'number' ? new Date(exp * 1000) : undefined);
      }
      throw surveyProblems.invalid();
    }
  }

  url(token: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/survey/${token}`;
  }
}
