"""The indicators the Overview page leads with, one headline card each (the benchmark asks the same question)."""

HEADLINE_INDICATORS = (
    "ngos_registered", "ngos_operating", "public_councils", "public_council_members",
    "state_social_order_amount", "state_grants_amount", "eu_funding_amount",
)
