import type { Clock } from '../../clock';
import { KmsError } from '../../errors';
import type { SeededRandom } from '../../random';
import { buildKmsApiCallRecord, buildKmsServiceEventRecord, type KmsCloudTrailRecord } from '../../audit/cloudtrail-record';
import type { EncryptionContext } from '../../../model/encryption-context';
import type { CallerIdentity } from '../provider';
import { FaultInjector, type FaultConfig, type FaultWindow } from './faults';
import { grantAllows, type GrantOperation } from './grants';
import { KeyMaterial } from './key-material';
import { KeyStore, type KeyRecord } from './key-store';
import { kmsErrors } from './kms-errors';
import { evaluatePolicy } from './policy';

export interface LocalKmsOptions {
  accountId: string;
  region: string;
  clock: Clock;
  /** Traffic-shape randomness: ids, request ids, fault draws. Key material never comes from here. */
  random: SeededRandom;
  /** Receives every CloudTrail record (API calls, success or failure, and KMS's own service events). */
  audit?: (record: KmsCloudTrailRecord) => void | Promise<void>;
  faults?: FaultConfig;
  /** Who calls when a request names no caller. */
  defaultCaller?: CallerIdentity;
  /** A restored key store (LocalKms.load); a new, empty one otherwise. */
  store?: KeyStore;
}

/** What a call's body tells the audit record beyond its request parameters. */
export interface CallTrail {
  /** This call's request id, as its CloudTrail record and its answer carry it. */
  requestId: string;
  resources: string[];
  response: Record<string, unknown> | null;
  additional?: Record<string, unknown>;
}

/**
 * The machinery under every LocalKms operation: injected faults, authorization (key
 * policy, then grants), KMS's scheduled work (automatic rotation, end of deletion
 * windows) and one CloudTrail record per call whatever its outcome.
 */
export class LocalKmsCore {
  readonly kind = 'local' as const;
  readonly accountId: string;
  readonly region: string;
  protected readonly clock: Clock;
  protected readonly store: KeyStore;
  protected readonly faults: FaultInjector;
  protected readonly defaultCaller: CallerIdentity;
  /** Separate streams, so that e.g. adding a fault draw does not change key ids. */
  protected readonly ids: SeededRandom;
  private readonly requestIds: SeededRandom;
  private readonly auditSink: LocalKmsOptions['audit'];

  constructor(options: LocalKmsOptions) {
    this.accountId = options.accountId;
    this.region = options.region;
    this.clock = options.clock;
    this.ids = options.random.fork('ids');
    this.requestIds = options.random.fork('requests');
    this.faults = new FaultInjector(options.clock, options.random.fork('faults'));
    if (options.faults) this.faults.set(options.faults);
    this.auditSink = options.audit;
    this.store = options.store ?? new KeyStore(options.accountId, options.region);
    if (this.store.accountId !== this.accountId || this.store.region !== this.region) {
      throw new Error(`key store belongs to ${this.store.accountId}/${this.store.region}, not ${this.accountId}/${this.region}`);
    }
    this.defaultCaller = options.defaultCaller ?? {
      type: 'IAMUser',
      arn: `arn:aws:iam::${options.accountId}:user/keyscope-admin`,
      accountId: options.accountId,
      principalId: `AIDA${this.ids.hex(8).toUpperCase()}`,
      sourceIp: '127.0.0.1',
      userAgent: 'keyscope-local-kms',
    };
  }

  /** Replaces the base fault configuration (windows stay). */
  setFaults(config: FaultConfig): void {
    this.faults.set(config);
  }

  /** Adds faults that hold for clock time [fromMs, toMs), e.g. an outage. */
  addFaultWindow(window: FaultWindow): void {
    this.faults.addWindow(window);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Does what KMS does by itself once its time comes: automatic rotations (catching up
   * period by period) and deletions whose waiting period ended. Runs before every call.
   */
  async processScheduled(): Promise<void> {
    const now = this.clock.now();
    for (const key of [...this.store.keys.values()]) {
      // A concurrent call may have handled this key while we awaited the trail.
      if (this.store.keys.get(key.keyId) !== key) continue;
      if (key.state === 'PendingDeletion' && key.deletionDateMs !== undefined && key.deletionDateMs <= now) {
        const at = key.deletionDateMs;
        this.store.deleteKey(key.keyId);
        await this.emit(buildKmsServiceEventRecord({ eventName: 'DeleteKey', eventTimeMs: at, region: this.region, accountId: this.accountId, resourceArns: [key.arn], eventId: this.requestIds.uuid() }));
        continue;
      }
      while (key.state === 'Enabled' && key.rotationEnabled && key.nextRotationMs !== undefined && key.nextRotationMs <= now) {
        // addVersion moves nextRotationMs on before anything is awaited.
        await this.rotateMaterial(key, 'AUTOMATIC', key.nextRotationMs);
      }
    }
  }

  /** New current key material, and KMS's RotateKey service event for it. */
  protected async rotateMaterial(key: KeyRecord, rotationType: 'AUTOMATIC' | 'ON_DEMAND', atMs: number): Promise<string> {
    const previous = key.currentKeyMaterialId;
    const v = this.store.addVersion(key, this.newKeyMaterialId(), KeyMaterial.generate(), atMs);
    await this.emit(
      buildKmsServiceEventRecord({
        eventName: 'RotateKey',
        eventTimeMs: atMs,
        region: this.region,
        accountId: this.accountId,
        resourceArns: [key.arn],
        eventId: this.requestIds.uuid(),
        serviceEventDetails: { rotationType, keyOrigin: 'AWS_KMS', previousKeyMaterialId: previous, currentKeyMaterialId: v.keyMaterialId },
      }),
    );
    return v.keyMaterialId;
  }

  protected newKeyMaterialId(): string {
    return this.ids.hex(32);
  }

  /**
   * Runs one API call: scheduled work, faults, the body, then its CloudTrail record.
   * `requestParameters` are what CloudTrail shows (never plaintext or ciphertext).
   */
  protected async call<T>(
    eventName: string,
    caller: CallerIdentity | undefined,
    requestParameters: Record<string, unknown> | null,
    body: (trail: CallTrail, who: CallerIdentity) => T | Promise<T>,
  ): Promise<T> {
    const who = caller ?? this.defaultCaller;
    const requestId = this.requestIds.uuid();
    const eventId = this.requestIds.uuid();
    await this.processScheduled();
    const trail: CallTrail = { requestId, resources: [], response: null };
    let outcome: { ok: true; value: T } | { ok: false; err: unknown };
    try {
      await this.faults.apply(eventName);
      outcome = { ok: true, value: await body(trail, who) };
    } catch (err) {
      outcome = { ok: false, err };
    }
    // Anything that is not a KMS answer is a bug here; the trail shows it as KMS would.
    const error = outcome.ok ? undefined : outcome.err instanceof KmsError ? outcome.err : kmsErrors.internal();
    await this.emit(
      buildKmsApiCallRecord({
        eventName,
        eventTimeMs: this.clock.now(),
        region: this.region,
        recipientAccountId: this.accountId,
        caller: who,
        requestParameters,
        responseElements: error ? null : trail.response,
        additionalEventData: trail.additional,
        resourceArns: trail.resources,
        requestId,
        eventId,
        error: error ? { code: error.code, message: error.message } : undefined,
      }),
    );
    if (!outcome.ok) {
      if (outcome.err instanceof KmsError) outcome.err.requestId = requestId;
      throw outcome.err;
    }
    return outcome.value;
  }

  /**
   * Key policy first (an explicit Deny wins over everything), then grants for the
   * operations grants can carry; otherwise AccessDenied, worded as KMS words it.
   */
  protected authorize(key: KeyRecord, who: CallerIdentity, action: string, grantOp: GrantOperation | null, ctx: EncryptionContext = {}): void {
    const principalArns = who.roleArn ? [who.arn, who.roleArn] : [who.arn];
    const isService = who.type === 'AWSService';
    const decision = evaluatePolicy(key.policy, {
      principalArns,
      callerAccount: who.accountId,
      invokedBy: who.invokedBy,
      isService,
      action,
      resourceArn: key.arn,
      encryptionContext: ctx,
    });
    if (decision === 'allow') return;
    if (decision === 'implicit-deny' && grantOp) {
      const servicePrincipal = isService ? who.invokedBy : undefined;
      for (const g of this.store.grants.values()) {
        if (g.keyId === key.keyId && grantAllows(g, { principalArns, servicePrincipal, operation: grantOp, encryptionContext: ctx })) return;
      }
    }
    throw kmsErrors.accessDenied(who.arn, action, key.arn, decision === 'explicit-deny');
  }

  protected async emit(record: KmsCloudTrailRecord): Promise<void> {
    if (this.auditSink) await this.auditSink(record);
  }
}
