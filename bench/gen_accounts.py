#!/usr/bin/env python3
"""Realistic, deterministic company accounts and conflict-check request bodies
for bench/conflict_http.sh.

    gen_accounts.py --accounts N --csv ACCOUNTS.csv --bodies BODIES.tsv \
                    --check CHECK.tsv [--queries 400] [--seed 1]

ACCOUNTS.csv  name,domain,country: N companies built from word lists
              ("Blue Falcon Analytics GmbH", blue-falcon-analytics.de, DE).
BODIES.tsv    KIND<TAB>JSON per line, the request bodies of the benchmark:
              ~50% present (names of the CSV spelt differently: case, legal
              form dropped or changed, '&'/'and', domain as a URL, e-mail or
              missing), ~25% acronyms or partial names, ~25% absent names
              (words that appear nowhere in the CSV).
CHECK.tsv     two lines KIND<TAB>JSON for the smoke test: a present name in a
              variant spelling with its domain, then an absent name.

The same arguments always give the same files.
"""

import argparse
import csv
import json
import random
import sys
import unicodedata

ADJECTIVES = """
Blue Red Green Silver Golden Bright Northern Southern Eastern Western Pacific
Atlantic Coastal Alpine Summit Prime Apex Vertex Nova Stellar Rapid Swift Clear
True Bold Noble Royal Grand United Allied Central Global Metro Urban Modern
Smart Agile Lucid Vivid Quiet Iron Steel Copper Granite Crystal Amber Crimson
Azure Emerald Ivory Scarlet Cobalt Hidden Open First Pioneer Liberty Heritage
Evergreen Sunrise Midland Highland Lakeside Riverside Frontier Keystone Polar
Solar Lunar Silent Rising Radiant Winter Autumn Spring Velvet Onyx Sapphire
""".split()

NOUNS = """
Falcon Eagle Hawk Raven Fox Bear Lion Tiger Oak Maple Birch Willow Aspen River
Lake Ocean Bay Ridge Peak Valley Canyon Mesa Stone Rock Bridge Gate Tower Castle
Beacon Lantern Compass Anchor Arrow Shield Crown Star Comet Orbit Pulse Wave
Spark Flame Forge Mill Field Meadow Grove Port Haven Point Crest Path Trail
Harvest Horizon Island Cove Delta Fjord Glacier Prairie Summit2 Timber Thunder
Storm Cloudberry Raindrop Sparrow Swan Dolphin Orca Stag Elk Bison Cypress
""".split()
NOUNS = [n for n in NOUNS if n.isalpha()]

INDUSTRIES = """
Systems Software Analytics Logistics Consulting Solutions Technologies Networks
Engineering Manufacturing Foods Pharma Biotech Energy Capital Partners
Industries Media Labs Robotics Telecom Retail Health Medical Insurance Finance
Ventures Data Cloud Security Digital Automotive Aerospace Construction
Architects Design Marketing Chemicals Materials Shipping Freight Motors
Electronics Instruments Devices Services Interactive Studios Learning
Hospitality Mining
""".split()

SURNAMES = """
Smith Johnson Miller Brown Keller Wagner Becker Schneider Fischer Weber Hoffmann
Schulz Koch Richter Dubois Laurent Moreau Girard Bernard Rossi Bianchi Ferrari
Romano Tanaka Suzuki Sato Watanabe Yamamoto Nakamura Kobayashi Garcia Martinez
Lopez Fernandez Silva Santos Costa Pereira Jensen Nielsen Hansen Larsen
Andersson Johansson Karlsson Nilsson Virtanen Korhonen Murphy Kelly O'Brien
Walsh Byrne Taylor Wilson Davies Evans Roberts Walker Wright Thompson Hughes
Clarke Patel Khan Singh Chen Wang Kim Park Nguyen Tran Morgan Bennett Carter
Mitchell Foster Hayes Porter Sullivan Reid Fraser Campbell Stewart Ross
Bakker Janssen Visser Meijer Dupont Novak Horvat Kowalski Nowak Müller Schäfer
Lefèvre Gómez Muñoz Sørensen Åberg Öztürk Weiß Ibáñez Løvland Brandt Vogel
Krüger Hartmann Lange Werner Krause Lehmann Schmitt Zimmermann Braun Hofmann
Albrecht Friedrich Vasquez Castillo Moretti Conti Esposito Ricci Marino Greco
""".split()

COINED_ENDINGS = ["ix", "ify", "ora", "io", "ly", "eon", "ara", "igo", "era", "yx"]

# Words of absent companies: none of them (nor anything close) is in the lists above.
ABSENT_FIRST = """
Marigold Thistle Juniper Saffron Tamarind Zinnia Obsidian Periwinkle Larkspur
Gossamer Wisteria Heliotrope Cardamom Verbena Sorrel Quince Mulberry Hazelnut
Nutmeg Lavender Chamomile Peppermint Rosemary Fennel Clove Paprika Vanilla
Magnolia Hibiscus Primrose
""".split()
ABSENT_SECOND = """
Otter Heron Pelican Badger Marmot Ibis Lynx Puffin Walrus Beaver Kingfisher
Mongoose Wombat Koala Platypus Tortoise Narwhal Hedgehog Meerkat Flamingo
""".split()
ABSENT_INDUSTRY = """
Brewing Orchards Bakery Vineyards Ceramics Jewelers Apparel Furniture Cosmetics
Tannery Dairy Optics Florists Pottery Saddlery Bookbinders Chocolatiers Cidery
""".split()

# country: (weight, legal forms, TLDs, share of .com)
COUNTRIES = {
    "US": (30, ["Inc", "Inc.", "LLC", "Corp.", "Corporation", "Co."], [".com", ".io", ".us"], 0.8),
    "GB": (10, ["Ltd", "Ltd.", "Limited", "PLC", "LLP"], [".co.uk", ".uk"], 0.3),
    "DE": (12, ["GmbH", "AG", "GmbH & Co. KG", "KG", "SE"], [".de"], 0.25),
    "FR": (7, ["S.A.", "SAS", "SARL", "S.A.S."], [".fr"], 0.3),
    "AU": (5, ["Pty Ltd", "Pty. Ltd.", "Limited"], [".com.au"], 0.2),
    "JP": (5, ["KK", "K.K.", "Co., Ltd.", "Kabushiki Kaisha"], [".co.jp", ".jp"], 0.3),
    "NL": (4, ["B.V.", "BV", "N.V."], [".nl"], 0.3),
    "CA": (4, ["Inc.", "Ltd.", "Corp."], [".ca"], 0.5),
    "ES": (3, ["S.L.", "S.A.", "SLU"], [".es"], 0.3),
    "IT": (3, ["S.p.A.", "S.r.l.", "SRL"], [".it"], 0.3),
    "SE": (2, ["AB", "AB (publ)"], [".se"], 0.3),
    "CH": (2, ["AG", "GmbH", "SA"], [".ch"], 0.3),
    "IE": (2, ["Ltd", "Limited", "DAC"], [".ie"], 0.4),
    "IN": (3, ["Pvt Ltd", "Private Limited", "Ltd"], [".in", ".co.in"], 0.4),
    "SG": (2, ["Pte Ltd", "Pte. Ltd."], [".sg", ".com.sg"], 0.4),
    "BR": (3, ["Ltda", "S.A.", "Ltda."], [".com.br"], 0.2),
    "AT": (1, ["GmbH", "AG"], [".at"], 0.3),
    "FI": (1, ["Oy", "Oyj"], [".fi"], 0.3),
    "DK": (1, ["ApS", "A/S"], [".dk"], 0.3),
}
TECH = {"Software", "Analytics", "Data", "Cloud", "Security", "Digital", "Labs",
        "Robotics", "Interactive", "Networks", "Systems"}
# Legal forms used to "change" one in a variant spelling.
OTHER_FORMS = ["Inc", "Ltd", "GmbH", "LLC", "S.A.", "Limited", "Corp", "Pty Ltd", "AG", "BV"]


def ascii_fold(s):
    s = s.replace("ø", "o").replace("Ø", "O").replace("ß", "ss").replace("æ", "ae")
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def words_key(words):
    return " ".join(ascii_fold(w).lower().replace("'", "") for w in words)


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        A, N, I, S = len(ADJECTIVES), len(NOUNS), len(INDUSTRIES), len(SURNAMES)
        C = len(NOUNS) * len(COINED_ENDINGS)
        # (name of the pattern, size of its space, share of the accounts)
        self.patterns = [
            ("adj_noun_ind", A * N * I, 0.50),
            ("sur_noun_ind", S * N * I, 0.25),
            ("coined_ind", C * I, 0.10),
            ("sur_and_sur", S * (S - 1), 0.10),
            ("sur_ind", S * I, 0.05),
        ]
        self.countries = list(COUNTRIES)
        self.weights = [COUNTRIES[c][0] for c in self.countries]

    def decode(self, pattern, i):
        """The core words (no legal form) of combination i of a pattern."""
        A, N, I, S = len(ADJECTIVES), len(NOUNS), len(INDUSTRIES), len(SURNAMES)
        if pattern == "adj_noun_ind":
            return [ADJECTIVES[i // (N * I)], NOUNS[i // I % N], INDUSTRIES[i % I]]
        if pattern == "sur_noun_ind":
            return [SURNAMES[i // (N * I)], NOUNS[i // I % N], INDUSTRIES[i % I]]
        if pattern == "coined_ind":
            j, ind = divmod(i, I)
            noun, end = divmod(j, len(COINED_ENDINGS))
            base = NOUNS[noun]
            ending = COINED_ENDINGS[end]
            if base[-1] in "aeiouy" and ending[0] in "aeiouy":
                base = base[:-1]
            return [base + ending, INDUSTRIES[ind]]
        if pattern == "sur_and_sur":
            a, b = divmod(i, S - 1)
            b = b + 1 if b >= a else b
            return [SURNAMES[a], "&", SURNAMES[b]]
        if pattern == "sur_ind":
            return [SURNAMES[i // I], INDUSTRIES[i % I]]
        raise ValueError(pattern)

    def domain(self, core, country, taken):
        _, _, tlds, com_share = COUNTRIES[country]
        words = [ascii_fold(w).lower().replace("'", "") for w in core if w != "&"]
        if "&" in core and self.rng.random() < 0.5:
            words = [ascii_fold(w).lower().replace("'", "") if w != "&" else "and" for w in core]
        if self.rng.random() < com_share:
            tld = ".com"
        elif core[-1] in TECH and self.rng.random() < 0.3:
            tld = ".io"
        else:
            tld = self.rng.choice(tlds)
        styles = ["-".join(words), "".join(words)]
        if self.rng.random() < 0.4:
            styles.reverse()
        if len(words) == 3 and self.rng.random() < 0.15:  # drop the industry word
            styles.insert(0, "-".join(words[:2]))
        for base in styles + ["-".join(words) + "-" + country.lower()]:
            d = base + tld
            if d not in taken:
                taken.add(d)
                return d
        for k in range(2, 1000):
            d = "-".join(words) + str(k) + tld
            if d not in taken:
                taken.add(d)
                return d
        raise RuntimeError("no free domain")

    def accounts(self, n):
        space = sum(p[1] for p in self.patterns)
        if n > space:
            sys.exit(f"gen_accounts: at most {space} accounts, not {n}")
        # how many of each pattern: its share, capped by its space
        counts, left = {}, n
        for name, size, share in self.patterns:
            counts[name] = min(size, int(n * share))
            left -= counts[name]
        for name, size, _ in self.patterns:  # the rest where there is room
            add = min(left, size - counts[name])
            counts[name] += add
            left -= add
        cores = []
        for name, size, _ in self.patterns:
            for i in self.rng.sample(range(size), counts[name]):
                cores.append(self.decode(name, i))
        self.rng.shuffle(cores)
        seen, taken, out = set(), set(), []
        for core in cores:
            key = words_key(core)
            if key in seen:
                continue
            seen.add(key)
            country = self.rng.choices(self.countries, self.weights)[0]
            form = self.rng.choice(COUNTRIES[country][1])
            name = " ".join(core) + " " + form
            out.append({"core": core, "form": form, "name": name,
                        "domain": self.domain(core, country, taken), "country": country})
        return out

    # ------------------------------------------------------------ queries

    def domain_form(self, domain):
        r = self.rng.random()
        if r < 0.35:
            return f"https://www.{domain}/"
        if r < 0.55:
            return f"http://{domain}/about-us"
        if r < 0.70:
            return f"www.{domain}"
        if r < 0.80:
            return f"sales@{domain}"
        return domain

    def present(self, acct):
        core, form = acct["core"], acct["form"]
        base = " ".join(core)
        r = self.rng.random()
        if r < 0.25:  # legal form dropped
            name = base
        elif r < 0.50:  # legal form changed
            name = base + " " + self.rng.choice([f for f in OTHER_FORMS if f != form])
        elif r < 0.60 and "&" in core:
            name = base.replace("&", "and") + " " + form
        elif r < 0.70:  # punctuation and spacing
            name = base + ", " + form.replace(".", "")
        else:
            name = acct["name"]
        c = self.rng.random()  # case
        if c < 0.3:
            name = name.lower()
        elif c < 0.5:
            name = name.upper()
        elif c < 0.6:
            name = "  " + name + " "
        customer = {"name": name}
        if self.rng.random() < 0.8:
            customer["domain"] = self.domain_form(acct["domain"])
        return customer

    def acronym_or_partial(self, acct):
        core = [w for w in acct["core"] if w != "&"]
        if self.rng.random() < 0.5 and len(core) >= 2:
            kind = "acronym"
            letters = "".join(ascii_fold(w)[0].upper() for w in core)
            name = self.rng.choice([letters, ".".join(letters) + ".", letters + " " + acct["form"]])
            customer = {"name": name}
            if self.rng.random() < 0.3:
                customer["domain"] = self.domain_form(acct["domain"])
        else:
            kind = "partial"
            if len(core) >= 3:
                words = core[:2] if self.rng.random() < 0.6 else core[1:]
            else:
                words = core[:1]
            customer = {"name": " ".join(words)}
            if self.rng.random() < 0.5:
                customer["domain"] = self.domain_form(acct["domain"])
        return kind, customer

    def absent(self, with_domain=None):
        first = self.rng.choice(ABSENT_FIRST)
        second = self.rng.choice(ABSENT_SECOND)
        ind = self.rng.choice(ABSENT_INDUSTRY)
        country = self.rng.choices(self.countries, self.weights)[0]
        _, forms, tlds, _ = COUNTRIES[country]
        name = f"{first} {second} {ind} {self.rng.choice(forms)}"
        customer = {"name": name}
        if with_domain if with_domain is not None else self.rng.random() < 0.7:
            dom = f"{first}-{second}-{ind}".lower() + self.rng.choice(tlds + [".com"])
            customer["domain"] = self.domain_form(dom)
        return customer


def body(customer):
    return json.dumps({"customer": customer}, ensure_ascii=False, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--accounts", type=int, default=100000)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--bodies", required=True)
    ap.add_argument("--check", required=True)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.accounts < 1 or a.queries < 4:
        sys.exit("gen_accounts: need --accounts >= 1 and --queries >= 4")

    g = Generator(a.seed)
    accts = g.accounts(a.accounts)
    with open(a.csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["name", "domain", "country"])
        for x in accts:
            w.writerow([x["name"], x["domain"], x["country"]])

    lines = []
    for q in range(a.queries):
        slot = q % 4  # 0, 1: present; 2: acronym or partial; 3: absent
        if slot < 2:
            lines.append(("present", body(g.present(g.rng.choice(accts)))))
        elif slot == 2:
            kind, cust = g.acronym_or_partial(g.rng.choice(accts))
            lines.append((kind, body(cust)))
        else:
            lines.append(("absent", body(g.absent())))
    g.rng.shuffle(lines)
    with open(a.bodies, "w", encoding="utf-8") as f:
        for kind, b in lines:
            f.write(f"{kind}\t{b}\n")

    first = accts[0]
    present = {"name": (" ".join(first["core"]) + " " +
                        g.rng.choice([x for x in OTHER_FORMS if x != first["form"]])).lower(),
               "domain": first["domain"]}
    absent = g.absent(with_domain=True)
    with open(a.check, "w", encoding="utf-8") as f:
        f.write(f"present\t{body(present)}\n")
        f.write(f"absent\t{body(absent)}\n")


if __name__ == "__main__":
    main()
