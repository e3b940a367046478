/**
 * How the tabs of one profile (one IndexedDB) act as one device. Plain TypeScript, no Angular: the
 * app wires it to BroadcastChannel and Web Locks (tab-coordinator.service.ts), and a randomized
 * test drives it with tabs that open, edit, and die at any moment (tab-protocol.test.ts).
 *
 * One tab leads: it holds the profile's Web Lock, owns the stored state and the sync engine, and is
 * the only one that writes. Every other tab follows: it shows the leader's state (a snapshot, then
 * the leader's changes in order) and sends its edits to the leader as actions, each with an id, and
 * keeps them until the leader reports them stored ("saved"). When the leader goes, the lock passes
 * to a follower, which loads the stored state, runs its own unsaved edits and announces itself; the
 * other followers then ask it for the state and send their unsaved edits again. Each tab numbers its
 * edits 1, 2, 3…; the leader runs a tab's edits in that order only (one that arrives early waits
 * for the ones before it), and stores with the changes, in one transaction, how far it got with
 * each tab. So a new leader runs exactly the edits that are not stored: each lands once, in order.
 */
export type TabMessage<A, S, C> =
  | { readonly kind: 'hello'; readonly from: string }
  | { readonly kind: 'snapshot'; readonly to: string; readonly leader: string; readonly term: number; readonly state: S }
  | { readonly kind: 'changes'; readonly leader: string; readonly term: number; readonly changes: C }
  | { readonly kind: 'action'; readonly from: string; readonly n: number; readonly action: A }
  | { readonly kind: 'saved'; readonly leader: string; readonly ids: readonly string[] }
  | { readonly kind: 'leader'; readonly leader: string; readonly term: number };

/**
 * What a new leader finds stored: for each tab, the number of its last edit stored (all before it
 * are stored too), and its term, one more than the last leader's (stored in the same step).
 * Messages from different tabs may arrive in any order, so a follower tells a late message of a
 * gone leader by its lower term.
 */
export interface TakeOver {
  readonly stored: Iterable<readonly [tab: string, upTo: number]>;
  readonly term: number;
}

/** The id an edit is stored under: its tab and its number there. */
export function editId(tab: string, n: number): string {
  return `${tab}:${n}`;
}

export function parseEditId(id: string): { tab: string; n: number } {
  const at = id.lastIndexOf(':');
  return { tab: id.slice(0, at), n: Number(id.slice(at + 1)) };
}

export interface TabPorts<A, S, C> {
  post(message: TabMessage<A, S, C>): void;
  /** The lock is ours: load the stored state (and open the engine); the ids of the forwarded actions it holds. */
  takeOver(): Promise<TakeOver>;
  /** Leader: apply an action as this device's edit. A forwarded one (`id`) is stored with its changes, then `saved` is called. */
  run(action: A, id: string | null): void;
  /** Leader: the state a joining tab starts from. */
  snapshot(): S;
  /** Follower: the leader's state, whole. */
  adoptSnapshot(state: S): void;
  /** Follower: what changed at the leader since the last snapshot or changes. */
  adoptChanges(changes: C): void;
  /** How many edits of this tab the leader has not stored yet (0: everything is saved). */
  pendingChanged(count: number): void;
}

export type TabRole = 'follower' | 'taking-over' | 'leader';

export class TabPeer<A, S, C> {
  private currentRole: TabRole = 'follower';
  private leaderId: string | null = null;
  /** The highest leader term seen (this tab's own while it leads). */
  private term = 0;
  /** Follower: a snapshot of the current leader's state is shown, so its changes apply. */
  private synced = false;
  /** This tab's edits the leader has not reported stored, by number, in the order they were made. */
  private readonly pending = new Map<number, A>();
  private counter = 0;
  /** Leader: per tab, the number of the last edit run here and of the last one stored. */
  private readonly progress = new Map<string, { ran: number; stored: number }>();
  /** Leader: edits that arrived before an earlier one of their tab, by tab and number. */
  private readonly early = new Map<string, Map<number, A>>();
  private readonly queued: Array<TabMessage<A, S, C>> = [];

  constructor(
    readonly id: string,
    private readonly ports: TabPorts<A, S, C>,
  ) {}

  get role(): TabRole {
    return this.currentRole;
  }

  get leader(): string | null {
    return this.currentRole === 'leader' ? this.id : this.leaderId;
  }

  /** Whether this tab shows a state (its own as leader, or a leader's snapshot). */
  get ready(): boolean {
    return this.currentRole === 'leader' || this.synced;
  }

  get unsaved(): number {
    return this.pending.size;
  }

  /** A follower starting: ask whoever leads for the state. */
  join(): void {
    this.ports.post({ kind: 'hello', from: this.id });
  }

  /** An edit made in this tab. */
  edit(action: A): void {
    if (this.currentRole === 'leader') {
      this.ports.run(action, null);
      return;
    }
    const n = ++this.counter;
    this.pending.set(n, action);
    this.ports.pendingChanged(this.pending.size);
    // Taking over: it runs once the stored state is loaded. With no leader now, it is sent again to the next.
    if (this.currentRole === 'follower') this.ports.post({ kind: 'action', from: this.id, n, action });
  }

  /** The profile's lock is ours: the previous leader is gone. Resolves once this tab leads. */
  async lead(): Promise<void> {
    this.currentRole = 'taking-over';
    const { stored, term } = await this.ports.takeOver();
    for (const [tab, upTo] of stored) this.progress.set(tab, { ran: upTo, stored: upTo });
    this.term = term;
    this.currentRole = 'leader';
    this.leaderId = this.id;
    const mine = this.progress.get(this.id)?.stored ?? 0;
    this.acknowledge([...this.pending.keys()].filter((n) => n <= mine).map((n) => editId(this.id, n)));
    for (const [n, action] of this.pending) if (n > mine) this.forwarded(this.id, n, action);
    this.ports.post({ kind: 'leader', leader: this.id, term: this.term });
    for (const message of this.queued.splice(0)) this.receive(message);
  }

  /** Leader: these forwarded actions are stored with their changes. */
  saved(ids: readonly string[]): void {
    if (!ids.length) return;
    for (const id of ids) {
      const { tab, n } = parseEditId(id);
      const progress = this.progress.get(tab);
      if (progress) progress.stored = Math.max(progress.stored, n);
    }
    this.ports.post({ kind: 'saved', leader: this.id, ids });
    this.acknowledge(ids);
  }

  /** Leader: its state changed (in order, each change computed from the state the last one left). */
  changed(changes: C): void {
    if (this.currentRole === 'leader') this.ports.post({ kind: 'changes', leader: this.id, term: this.term, changes });
  }

  receive(message: TabMessage<A, S, C>): void {
    if (this.currentRole === 'taking-over' && (message.kind === 'action' || message.kind === 'hello')) {
      this.queued.push(message);
      return;
    }
    switch (message.kind) {
      case 'hello':
        if (this.currentRole === 'leader') this.ports.post({ kind: 'snapshot', to: message.from, leader: this.id, term: this.term, state: this.ports.snapshot() });
        return;
      case 'action':
        if (this.currentRole === 'leader') this.forwarded(message.from, message.n, message.action);
        return;
      case 'snapshot':
        if (message.to !== this.id || this.currentRole !== 'follower') return;
        // A snapshot a leader sent just before it went must not replace the next leader's.
        if (message.term < this.term) return;
        // The first word of a leader this tab has not heard announce itself (it led before this tab opened).
        if (message.term > this.term) this.follow(message.leader, message.term);
        this.synced = true;
        this.ports.adoptSnapshot(message.state);
        return;
      case 'changes':
        if (this.currentRole === 'follower' && this.synced && message.term === this.term) this.ports.adoptChanges(message.changes);
        return;
      case 'saved':
        if (this.currentRole === 'follower') this.acknowledge(message.ids);
        return;
      case 'leader':
        if (this.currentRole !== 'follower' || message.term <= this.term) return;
        // A new leader: its state may hold more (or less) than the last one sent; start again from a snapshot.
        this.follow(message.leader, message.term);
        this.synced = false;
        this.join();
        return;
    }
  }

  /** A leader of a higher term: it may not have this tab's unsaved edits, so they go to it (again). */
  private follow(leader: string, term: number): void {
    this.leaderId = leader;
    this.term = term;
    for (const [n, action] of this.pending) this.ports.post({ kind: 'action', from: this.id, n, action });
  }

  /** Leader: a tab's edit number `n`, run once and in its tab's order. */
  private forwarded(tab: string, n: number, action: A): void {
    let progress = this.progress.get(tab);
    if (!progress) this.progress.set(tab, (progress = { ran: 0, stored: 0 }));
    if (n <= progress.ran) {
      // Sent again after a change of leader, and already stored: say so again. (Still unstored: `saved` follows.)
      if (n <= progress.stored) this.ports.post({ kind: 'saved', leader: this.id, ids: [editId(tab, n)] });
      return;
    }
    if (n > progress.ran + 1) {
      // An earlier edit of this tab has not arrived (it went to the last leader): it will be sent again.
      let early = this.early.get(tab);
      if (!early) this.early.set(tab, (early = new Map()));
      early.set(n, action);
      return;
    }
    progress.ran = n;
    this.ports.run(action, editId(tab, n));
    const next = this.early.get(tab)?.get(n + 1);
    if (next !== undefined) {
      this.early.get(tab)!.delete(n + 1);
      this.forwarded(tab, n + 1, next);
    }
  }

  private acknowledge(ids: readonly string[]): void {
    let changed = false;
    for (const id of ids) {
      const { tab, n } = parseEditId(id);
      if (tab === this.id) changed = this.pending.delete(n) || changed;
    }
    if (changed) this.ports.pendingChanged(this.pending.size);
  }
}
