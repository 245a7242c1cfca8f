"""Whether a work email belongs to the organisation: its domain is the website's.

No public-suffix list: the email's domain must be the website's host (without "www.") or a
subdomain of it, never the other way round, so an address at a hosting platform
(wordpress.com) never matches a site it hosts (someorg.wordpress.com). Free-mail domains never
count: a short list of the common ones, as people in the UK use them; anything not matched goes
to a moderator, so a missing free-mail domain costs only a moderator's look.
"""

from urllib.parse import urlsplit

FREE_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "btinternet.com",
        "fastmail.com",
        "gmail.com",
        "gmx.com",
        "gmx.co.uk",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "mac.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "tutanota.com",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
        "ymail.com",
        "zoho.com",
    }
)


def website_host(website):
    """The website's host name, lower case, without a leading "www."; '' when there is none."""
    try:
        host = urlsplit(website or "").hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".").removeprefix("www.")


def email_domain(email):
    return (email or "").rpartition("@")[2].lower().rstrip(".")


def is_free_mail(email):
    return email_domain(email) in FREE_MAIL_DOMAINS


def email_matches_website(email, website):
    """True when the email's domain is the website's own (or a subdomain of it)."""
    domain, host = email_domain(email), website_host(website)
    if not domain or not host or domain in FREE_MAIL_DOMAINS or host in FREE_MAIL_DOMAINS:
        return False
    return domain == host or domain.endswith("." + host)
