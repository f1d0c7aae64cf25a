package io.parley.compliance;

/**
 * Who a consumer says they are, as far as export compliance screens it. Any field may be null.
 *
 * @param email            the email address ({@code emailAddress})
 * @param firstName        the first name
 * @param lastName         the last name
 * @param organizationName the organization's name
 * @param organizationId   the organization's id ({@code organizationId}), as text
 * @param userName         the logged-in user's unique id ({@code authUserName} of {@code chatAuthenticate})
 */
public record Identity(String email, String firstName, String lastName, String organizationName,
                       String organizationId, String userName) {

    /** An anonymous consumer: nothing to screen but the address. */
    public static final Identity ANONYMOUS = new Identity(null, null, null, null, null, null);
}
