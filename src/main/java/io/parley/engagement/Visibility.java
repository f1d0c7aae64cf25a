package io.parley.engagement;

/** Who may see an event: everyone in the engagement, or agents only (whispers, supervisor notes). */
public enum Visibility { ALL, AGENTS }
