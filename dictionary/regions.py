"""Where a name is used: ISO 3166-1 alpha-2 country codes, plus EU and INT."""

from django.core.exceptions import ValidationError

COUNTRY_CODES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()
)
# Not countries, but how labels say it: the European Union's central approval,
# and a name used internationally (such as an INN).
GROUP_CODES = {"EU": "European Union", "INT": "International"}
REGION_CODES = COUNTRY_CODES | frozenset(GROUP_CODES)
# Codes people write that are not ISO's, with the one to use instead.
_ALIASES = {"UK": "GB"}


def split_regions(text):
    """Comma- or space-separated codes as a list, upper-cased, in the order written."""
    parts = (part.strip().upper() for part in (text or "").replace(",", " ").split())
    seen = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return seen


def validate_regions(text):
    """Refuse any code that is not a known region, naming it and what to write instead."""
    unknown = [code for code in split_regions(text) if code not in REGION_CODES]
    if not unknown:
        return
    hints = [f"{code} (write {_ALIASES[code]})" for code in unknown if code in _ALIASES]
    plain = [code for code in unknown if code not in _ALIASES]
    raise ValidationError(
        "Unknown region code(s): %(codes)s. Use two-letter ISO country codes "
        "(US, GB, FR…), EU or INT.",
        code="unknown_region",
        params={"codes": ", ".join(plain + hints)},
    )
