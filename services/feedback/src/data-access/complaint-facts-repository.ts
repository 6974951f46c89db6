// Keeps the complaint projection: every write is an idempotent upsert ($min/$max, or only-if-newer), so redelivery changes nothing.
import type { Model, mongo } from 'mongoose';
import type { ComplaintReceived, ComplaintRouted, Customer } from '@complaints/contracts';
import { isDuplicateKey, WriteBatcher } from '@complaints/platform';
import type { ComplaintGroups } from '../domain/kpis';
import type { RoutedFact } from '../domain/kpi-series';
import type { Period } from '../domain/report-period';
import type { ComplaintFacts } from './complaint-facts-model';

type Count<K> = { _id: K; count: number };

type Update = mongo.UpdateFilter<ComplaintFacts>;

export class ComplaintFactsRepository {
  /** Updates of many complaints share round trips. */
  private readonly writes: WriteBatcher<ComplaintFacts>;

  constructor(readonly model: Model<ComplaintFacts>) {
    this.writes = new WriteBatcher(model.collection as unknown as mongo.Collection<ComplaintFacts>);
  }

  /** Two first events of one complaint can race to insert; the loser retries as an update. */
  private async upsert(id: string, update: Update): Promise<void> {
    try {
      await this.writes.write({ updateOne: { filter: { _id: id }, update, upsert: true } });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.writes.write({ updateOne: { filter: { _id: id }, update } });
    }
  }

  async applyReceived(data: ComplaintReceived, now: Date): Promise<void> {
    await this.upsert(data.complaintId, {
      $set: {
        channel: data.channel,
        customer: data.customer,
        receivedAt: new Date(data.receivedAt),
        ...(data.location?.transformerArea ? { reportedTransformerArea: data.location.transformerArea } : {}),
        updatedAt: now,
      },
    });
  }

  /**
   * One write in the usual case: the decision's fields go in only if this revision is newer than the stored one,
   * together with the first routing time and highest revision. A duplicate key means the upsert found the
   * document there after all: a newer revision stored (the filter missed it), or a received event inserted it
   * meanwhile; the two parts are then applied separately.
   */
  async applyRouted(data: ComplaintRouted, now: Date): Promise<void> {
    const routedAt = new Date(data.routedAt);
    const firstAndMax: Update = {
      $min: { firstRoutedAt: routedAt },
      $max: { maxRevision: data.revision },
      $set: { updatedAt: now },
    };
    const transformerArea = data.location?.transformerArea;
    const decision = {
      revision: data.revision,
      channel: data.channel,
      rootCause: data.classification.rootCause,
      subtype: data.classification.subtype,
      grade: data.grade,
      areaType: data.areaType,
      routedAt,
      ...(transformerArea ? { transformerArea } : {}),
    };
    const unsetArea = transformerArea ? {} : { $unset: { transformerArea: 1 as const } };
    // Only a newer decision replaces the current one; an old or redelivered revision matches nothing.
    const newer = {
      _id: data.complaintId,
      $or: [{ revision: { $exists: false } }, { revision: { $lt: data.revision } }],
    };
    try {
      await this.writes.write({
        updateOne: {
          filter: newer,
          update: { ...firstAndMax, $set: { ...firstAndMax.$set, ...decision }, ...unsetArea },
          upsert: true,
        },
      });
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await this.upsert(data.complaintId, firstAndMax);
    await this.writes.write({
      updateOne: { filter: newer, update: { $set: decision, ...unsetArea } },
    });
  }

  /** Name and phone for the agent who calls back, by complaint id (only complaints whose received event arrived). */
  async contactsOf(complaintIds: string[]): Promise<Map<string, Pick<Customer, 'name' | 'phone'>>> {
    const found = await this.model
      .find({ _id: { $in: complaintIds } }, { customer: 1 })
      .lean<ComplaintFacts[]>()
      .exec();
    const contacts = new Map<string, Pick<Customer, 'name' | 'phone'>>();
    for (const facts of found) {
      if (!facts.customer) continue;
      const { name, phone } = facts.customer;
      contacts.set(facts._id, { ...(name ? { name } : {}), ...(phone ? { phone } : {}) });
    }
    return contacts;
  }

  /** Complaints first routed in the period, counted along each reporting dimension. */
  async complaintGroups(period: Period): Promise<ComplaintGroups> {
    const count = (key: unknown) => [{ $group: { _id: key, count: { $sum: 1 } } }];
    const [facets] = await this.model
      .aggregate<{
        byRootCause: Count<string | null>[];
        bySubtype: Count<string | null>[];
        byGrade: Count<string | null>[];
        byAreaType: Count<string | null>[];
        byArea: Count<{ routed?: string | null; reported?: string | null }>[];
        byMaxRevision: Count<number | null>[];
      }>([
        { $match: { firstRoutedAt: { $gte: period.from, $lt: period.to } } },
        {
          $facet: {
            byRootCause: count('$rootCause'),
            bySubtype: count('$subtype'),
            byGrade: count('$grade'),
            byAreaType: count('$areaType'),
            byArea: count({ routed: '$transformerArea', reported: '$reportedTransformerArea' }),
            byMaxRevision: count('$maxRevision'),
          },
        },
      ])
      .exec();
    const simple = <K>(rows: Count<K>[] | undefined) =>
      (rows ?? []).map((r) => ({ key: r._id ?? null, count: r.count }));
    return {
      byRootCause: simple(facets?.byRootCause),
      bySubtype: simple(facets?.bySubtype),
      byGrade: simple(facets?.byGrade),
      byAreaType: simple(facets?.byAreaType),
      byArea: (facets?.byArea ?? []).map((r) => ({
        routed: r._id?.routed ?? null,
        reported: r._id?.reported ?? null,
        count: r.count,
      })),
      byMaxRevision: simple(facets?.byMaxRevision),
    };
  }

  /** First routing time and latest root cause of the complaints first routed in the period (KPI series). */
  async routedFacts(period: Period): Promise<RoutedFact[]> {
    const rows = await this.model
      .find(
        { firstRoutedAt: { $gte: period.from, $lt: period.to } },
        { _id: 0, firstRoutedAt: 1, rootCause: 1 },
      )
      .lean<Array<{ firstRoutedAt: Date; rootCause?: string | null }>>()
      .exec();
    return rows.map((r) => ({ firstRoutedAt: r.firstRoutedAt, rootCause: r.rootCause ?? null }));
  }
}
