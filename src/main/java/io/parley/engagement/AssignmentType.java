package io.parley.engagement;

/** How an agent joins an engagement: as its lead, taking it over, conferenced in, or monitoring it. */
public enum AssignmentType { LEAD, TRANSFER, CONFERENCE, MONITOR }
