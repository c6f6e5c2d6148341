package io.lathe.model;

import java.util.List;

/**
 * Layers whose output channels are tied because their outputs meet at the same residual Add
 * (directly or through BatchNorm/activation). Channel pruning must remove the same channels from
 * every member, or none.
 *
 * @param id      stable index
 * @param members prunable layer names, in execution order
 * @param adds    the Add vertices that tie them
 */
public record CouplingGroup(int id, List<String> members, List<String> adds) {
    public CouplingGroup {
        members = List.copyOf(members);
        adds = List.copyOf(adds);
    }
}
