"""The benchmark's bulk data, with ``INSERT ... SELECT generate_series``:
registrants and their IDs, households, programme memberships, consents, and the
entitlements of both kinds (see ``generate_entitlements.py`` for the shares)."""

from reference_data import CASH_PROGRAMS, INKIND_PROGRAM

HOUSEHOLD_SIZE = 5
CASH_SHARE = 0.92
CONSENT_SHARE = 0.7
BATCH_STAMPS = 50
BATCH_SHARE = 0.3
# state, cumulative probability
STATES = [
    ("draft", 0.08),
    ("pending_validation", 0.16),
    ("approved", 0.56),
    ("trans2FSP", 0.70),
    ("rdpd2ben", 0.90),
    ("rejected1", 0.91),
    ("rejected2", 0.92),
    ("rejected3", 0.93),
    ("cancelled", 0.96),
    ("expired", 1.0),
]
EPOCH = "2025-01-01 00:00:00"
SPAN_DAYS = 365


def _state_case():
    parts = [f"WHEN r < {p} THEN '{state}'" for state, p in STATES[:-1]]
    return f"CASE {' '.join(parts)} ELSE '{STATES[-1][0]}' END"


def generate(cr, ids, n, timer):
    """Load the registry around ``n`` entitlements, then the entitlements;
    returns the counts."""
    individuals = max(n // 5, HOUSEHOLD_SIZE)
    households = individuals // HOUSEHOLD_SIZE
    n_cash = round(n * CASH_SHARE)
    cr.execute("SET LOCAL synchronous_commit = off")
    first_individual = load_registry(cr, ids, individuals, households, timer)
    load_entitlements(
        cr,
        ids,
        timer,
        first_individual=first_individual,
        individuals=individuals,
        n_cash=n_cash,
        n_inkind=n - n_cash,
    )
    return {
        "individuals": individuals,
        "households": households,
        "cash": n_cash,
        "inkind": n - n_cash,
    }


def load_registry(cr, ids, individuals, households, timer):
    """Households, individuals, their IDs, household and programme memberships,
    the payment provider's consents; returns the first individual's id (the
    individuals' ids are contiguous)."""
    common = {"uid": 1, "company": ids["company"]}
    # registrants: households first, then individuals (i-th individual lives in
    # household i // HOUSEHOLD_SIZE)
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, is_company,
            partner_share, is_registrant, is_group, registration_date, company_id,
            create_uid, write_uid, create_date, write_date, lang)
        SELECT 'Household ' || g, 'Household ' || g, true, 'contact', false, true,
               true, true, date '2024-06-01', %(company)s,
               %(uid)s, %(uid)s, now(), now(), 'en_US'
          FROM generate_series(1, %(households)s) g
        RETURNING id
        """,
        dict(common, households=households),
    )
    household_ids = [row[0] for row in cr.fetchall()]
    first_household = household_ids[0]
    timer.step("households", households)
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, given_name, family_name,
            gender, birthdate, active, type, is_company, partner_share,
            is_registrant, is_group, registration_date, company_id, create_uid,
            write_uid, create_date, write_date, lang)
        SELECT 'PERSON ' || g || ', Given', 'PERSON ' || g || ', Given', 'Given',
               'PERSON ' || g, CASE WHEN g %% 2 = 0 THEN 'female' ELSE 'male' END,
               date '1950-01-01' + (g %% 20000), true, 'contact', false, true, true,
               false, date '2024-06-01', %(company)s, %(uid)s, %(uid)s, now(), now(),
               'en_US'
          FROM generate_series(0, %(individuals)s - 1) g
        RETURNING id
        """,
        dict(common, individuals=individuals),
    )
    individual_ids = [row[0] for row in cr.fetchall()]
    first_individual = individual_ids[0]
    if individual_ids != list(
        range(first_individual, first_individual + individuals)
    ) or household_ids != list(range(first_household, first_household + households)):
        raise SystemExit("generator: partner ids are not contiguous")
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id BETWEEN %s AND %s",
        (min(first_household, first_individual), first_individual + individuals),
    )
    timer.step("individuals", individuals)
    # where the registrants are, for the statements that place rows by them
    layout = dict(
        common,
        first_individual=first_individual,
        first_household=first_household,
        individuals=individuals,
        households=households,
        size=HOUSEHOLD_SIZE,
    )

    cr.execute(
        """
        INSERT INTO g2p_reg_id (partner_id, id_type, value, status,
            create_uid, write_uid, create_date, write_date)
        SELECT %(first_individual)s + g, %(national_id)s,
               'NID-' || lpad(g::text, 9, '0'), 'valid',
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(individuals)s - 1) g
        UNION ALL
        SELECT %(first_household)s + g, %(household_id)s,
               'HH-' || lpad(g::text, 8, '0'), 'valid',
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(households)s - 1) g
        """,
        dict(
            layout,
            national_id=ids["national_id"],
            household_id=ids["household_id"],
        ),
    )
    timer.step("registrant IDs", cr.rowcount)
    cr.execute(
        """
        INSERT INTO g2p_group_membership ("group", individual, start_date, status,
            create_uid, write_uid, create_date, write_date)
        SELECT %(first_household)s + g / %(size)s, %(first_individual)s + g,
               timestamp '2024-06-01', 'active', %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(members)s - 1) g
        """,
        dict(layout, members=households * HOUSEHOLD_SIZE),
    )
    timer.step("household memberships", cr.rowcount)
    # programme memberships: every individual enrolled in every individual
    # programme would be 4x; one cash programme and the in-kind one is enough
    cr.execute(
        """
        INSERT INTO g2p_program_membership (partner_id, program_id, state,
            enrollment_date, create_uid, write_uid, create_date, write_date)
        SELECT %(first_individual)s + g, p.id, 'enrolled', timestamp '2024-07-01',
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(individuals)s - 1) g
          JOIN LATERAL (
                SELECT (%(cash_programs)s::int[])[1 + g %% %(n_cash_programs)s] AS id
                UNION ALL SELECT %(inkind_program)s
               ) p ON true
        """,
        dict(
            layout,
            cash_programs=[ids["programs"][n] for n in CASH_PROGRAMS],
            n_cash_programs=len(CASH_PROGRAMS),
            inkind_program=ids["programs"][INKIND_PROGRAM],
        ),
    )
    timer.step("programme memberships", cr.rowcount)
    # real spp_consent rows, of the default config (on which the payment
    # provider relies), valid for a year; their triggers fill the consent
    # visibility table in the same statement
    cr.execute(
        """
        INSERT INTO spp_consent (name, signatory_id, group_id, config_id, expiry,
            create_uid, write_uid, create_date, write_date)
        SELECT 'Bench consent', %(first_individual)s + g, NULL, %(config)s,
               current_date + 365, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(individuals)s - 1) g
         WHERE g %% 100 < %(pct)s
        UNION ALL
        SELECT 'Bench household consent', %(first_individual)s + g * %(size)s,
               %(first_household)s + g, %(config)s, current_date + 365,
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(households)s - 1) g
         WHERE g %% 20 = 19
        """,
        dict(
            layout,
            config=ids["config"],
            pct=round(CONSENT_SHARE * 100),
        ),
    )
    timer.step("consents (payment provider)", cr.rowcount)
    return first_individual


def load_entitlements(
    cr, ids, timer, *, first_individual, individuals, n_cash, n_inkind
):
    """Cash and in-kind entitlements of the individuals, over the cycles."""
    cr.execute("SELECT setseed(%s)", (0.42,))
    stamp_expr = f"""
        CASE WHEN random() < {BATCH_SHARE}
             THEN timestamp '{EPOCH}' + (floor(random() * {BATCH_STAMPS})
                  * interval '{SPAN_DAYS / BATCH_STAMPS} days')
             ELSE timestamp '{EPOCH}' + random() * interval '{SPAN_DAYS} days'
        END"""
    header = """
        code, partner_id, cycle_id, company_id, state,
        valid_from, valid_until, date_approved, create_uid, write_uid, create_date,
        write_date"""
    values = f"""
        md5(%(salt)s || g::text), %(first_individual)s + (g %% %(individuals)s),
        c.id, %(company)s, {_state_case()},
        date '2025-01-01', date '2025-12-31', date '2025-01-15', %(uid)s, %(uid)s,
        w - interval '1 day' * floor(random() * 30), w"""
    pick = "(%(cycles)s::int[])[1 + floor(random() * %(n_cycles)s)::int] AS cycle"
    cycle_join = "JOIN g2p_cycle c ON c.id = s.cycle"
    kinds = [
        (
            "cash entitlements",
            "g2p_entitlement",
            "ern, is_cash_entitlement, initial_amount, transfer_fee",
            "'ERN-' || g, true, (50 + (g %% 20) * 25)::numeric + 0.5, 0",
            {"salt": "cash", "cycles": ids["cash_cycles"], "count": n_cash},
        ),
        (
            "in-kind entitlements",
            "g2p_entitlement_inkind",
            "product_id, qty, uom_id, unit_price, total_amount",
            "%(product)s, 1 + g %% 3, %(uom)s, 12.5, 12.5 * (1 + g %% 3)",
            {"salt": "inkind", "cycles": ids["inkind_cycles"], "count": n_inkind},
        ),
    ]
    for label, table, kind_header, kind_values, params in kinds:
        cr.execute(
            f"""
            INSERT INTO {table} ({header}, {kind_header})
            SELECT {values}, {kind_values}
              FROM (SELECT g, random() AS r, {stamp_expr} AS w, {pick}
                      FROM generate_series(0, %(count)s - 1) g) s
              {cycle_join}
            """,
            dict(
                params,
                uid=1,
                company=ids["company"],
                first_individual=first_individual,
                individuals=individuals,
                n_cycles=len(params["cycles"]),
                product=ids["product"],
                uom=ids["uom"],
            ),
        )
        timer.step(label, cr.rowcount)
