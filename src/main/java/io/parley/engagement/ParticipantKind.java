package io.parley.engagement;

/** Who a participant is: the customer (end user) or an agent (lead, conferee or monitor by its {@link Role}). */
public enum ParticipantKind { END_USER, AGENT }
