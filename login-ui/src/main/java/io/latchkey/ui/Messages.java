package io.latchkey.ui;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every word the pages show, in English; {@code messages/msg_<lang>.properties} translates them. Templates
 * use them as {@code {msg:key}}; the locale of a rendering picks the language.
 */
@MessageBundle(value = "msg", locale = "en")
public interface Messages {

    @Message("Sign in")
    String login_title();

    @Message("Sign in to continue to {client}")
    String login_heading(String client);

    @Message("Username")
    String login_username();

    @Message("Password")
    String login_password();

    @Message("Sign in")
    String login_submit();

    @Message("The username or password is incorrect.")
    String login_failed();

    @Message("Too many attempts. Try again in {seconds} s.")
    String login_throttled(long seconds);

    @Message("Allow access")
    String consent_title();

    @Message("{client} would like to:")
    String consent_heading(String client);

    @Message("Signed in as {user}")
    String consent_signed_in_as(String user);

    @Message("Allow")
    String consent_approve();

    @Message("Deny")
    String consent_deny();

    @Message("Confirm who you are")
    String scope_openid();

    @Message("See your name and basic profile")
    String scope_profile();

    @Message("See your email address")
    String scope_email();

    @Message("Keep you signed in while you are not using it")
    String scope_offline_access();

    @Message("Use the permission \"{scope}\"")
    String scope_other(String scope);

    @Message("Something went wrong")
    String error_title();

    @Message("The request could not be completed.")
    String error_intro();

    @Message("The service is temporarily unavailable. Please try again in a moment.")
    String error_unavailable();

    @Message("Error code")
    String error_code();

    @Message("Go back to the application and try again.")
    String error_back();

    @Message("Sign out")
    String logout_title();

    @Message("Do you want to sign out?")
    String logout_question();

    @Message("Sign out")
    String logout_submit();

    @Message("Signed out")
    String logged_out_title();

    @Message("You have been signed out.")
    String logged_out_text();

    @Message("Return to the application")
    String logged_out_continue();

    @Message("Two-step verification")
    String second_factor_title();

    @Message("Confirm it is you to continue to {client}")
    String second_factor_heading(String client);

    @Message("Code from your authenticator app")
    String second_factor_code();

    @Message("Lost your device? Enter one of your recovery codes instead.")
    String second_factor_hint();

    @Message("Verify")
    String second_factor_submit();

    @Message("The code is incorrect or was already used.")
    String second_factor_failed();

    @Message("Use a passkey instead")
    String second_factor_use_passkey();

    @Message("Set up an authenticator app")
    String totp_enrol_title();

    @Message("Set up two-step verification")
    String totp_enrol_heading();

    @Message("This application requires a second factor. Set up an authenticator app to continue.")
    String totp_enrol_required();

    @Message("Scan this QR code with your authenticator app, then enter the six-digit code it shows.")
    String totp_enrol_scan();

    @Message("QR code for your authenticator app")
    String totp_enrol_qr_label();

    @Message("Can't scan the code? Enter the key by hand")
    String totp_enrol_manual();

    @Message("Account")
    String totp_enrol_account();

    @Message("Key")
    String totp_enrol_secret();

    @Message("Six-digit code")
    String totp_enrol_code();

    @Message("Confirm")
    String totp_enrol_submit();

    @Message("The code does not match. Check the time on your device and try the newest code.")
    String totp_enrol_failed();

    @Message("Save your recovery codes")
    String recovery_codes_title();

    @Message("Your recovery codes")
    String recovery_codes_heading();

    @Message("Keep these codes somewhere safe. Each one signs you in once if you lose your authenticator app. They are shown only now.")
    String recovery_codes_notice();

    @Message("I have saved them, continue")
    String recovery_codes_continue();
    // Passkeys and the account security page.

    @Message("Sign in with a passkey")
    String passkey_sign_in();

    @Message("The passkey could not be used to sign in. Try again or use your password.")
    String passkey_login_failed();

    @Message("The passkey request was cancelled or timed out.")
    String passkey_cancelled();

    @Message("The passkey could not be used. Try again or continue another way.")
    String passkey_failed();

    @Message("This browser cannot use passkeys here.")
    String passkey_unsupported();

    @Message("This device already holds a passkey for your account.")
    String passkey_exists();

    @Message("Use a passkey")
    String passkey_offer_title();

    @Message("Sign in faster next time with a passkey")
    String passkey_offer_heading();

    @Message("A passkey lets you sign in with your fingerprint, face or screen lock instead of your password. It stays on your device or in your password manager.")
    String passkey_offer_text();

    @Message("Name for this passkey")
    String passkey_name();

    @Message("Create a passkey")
    String passkey_create();

    @Message("Not now")
    String passkey_not_now();

    @Message("The passkey could not be created. Please try again.")
    String passkey_register_failed();

    @Message("Account security")
    String security_title();

    @Message("Passkeys")
    String security_passkeys();

    @Message("You have no passkeys yet.")
    String security_no_passkeys();

    @Message("Passkey")
    String security_unnamed_passkey();

    @Message("Created {date}")
    String security_created(String date);

    @Message("Last used {date}")
    String security_last_used(String date);

    @Message("Not used yet")
    String security_never_used();

    @Message("New name")
    String security_new_name();

    @Message("Rename")
    String security_rename();

    @Message("Remove")
    String security_remove();

    @Message("Add a passkey")
    String security_add_passkey();

    @Message("Authenticator app")
    String security_totp();

    @Message("An authenticator app is set up as a second step at sign-in.")
    String security_totp_enrolled();

    @Message("No authenticator app is set up.")
    String security_totp_not_enrolled();

    @Message("Set up an authenticator app")
    String security_totp_begin();

    @Message("Remove the authenticator app")
    String security_totp_remove();

    @Message("Recovery codes left: {count}")
    String security_recovery_codes_left(int count);

    @Message("Make new recovery codes")
    String security_recovery_regenerate();

    @Message("That did not work. Please try again.")
    String security_problem();

    @Message("Removing the authenticator app or replacing the recovery codes asks for a current code (or a recovery code).")
    String security_code_needed();

    @Message("Done.")
    String security_done();

    @Message("Manage passkeys and two-step sign-in")
    String security_link();

    @Message("This application requires a second factor. Create a passkey to continue.")
    String passkey_enrol_required();
}
