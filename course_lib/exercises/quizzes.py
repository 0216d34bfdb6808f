"""Quizzes for lessons 00-10: five to eight questions each, taken before and after a lesson.

Each question tests one of the lesson's objectives or a misconception the lesson corrects,
and every wrong option names its misconception (see :class:`course_lib.exercises.ChoiceProblem`
and :class:`course_lib.exercises.NumericProblem`). A notebook shows a quiz and checks an
explicit dict of answers::

    from course_lib.exercises.quizzes import quiz04
    quiz04                                   # the questions, numbered, with their options
    quiz04.check({1: "b", 3: 28})            # feedback per question and a score

``QUIZZES[4]`` is ``quiz04``. ``instructors/assessment.md`` maps each lesson objective to the
exercises and quiz questions that assess it; ``tests/test_quizzes.py`` keeps the two in step.
"""
from __future__ import annotations

from course_lib.exercises import ChoiceProblem, NumericProblem, Quiz

__all__ = ["QUIZZES", *(f"quiz{n:02d}" for n in range(11))]


def _choice(title: str, question: str, explanation: str, *options: tuple[str, str | None]) -> ChoiceProblem:
    """A ChoiceProblem from ``(text, feedback)`` pairs lettered a, b, c, ...; the right option's
    feedback is None."""
    letters = "abcdefgh"[: len(options)]
    right = [letter for letter, (_, feedback) in zip(letters, options) if feedback is None]
    if len(right) != 1:
        raise ValueError(f"{title!r}: exactly one option must be right (feedback None), got {len(right)}")
    return ChoiceProblem(
        title=title,
        question=question,
        options={letter: text for letter, (text, _) in zip(letters, options)},
        correct=right[0],
        feedback={letter: feedback for letter, (_, feedback) in zip(letters, options) if feedback is not None},
        explanation=explanation,
    )


# --------------------------------------------------------------------------------------
# 00 Welcome
# --------------------------------------------------------------------------------------

quiz00 = Quiz("Quiz 00: how this course works", [
    _choice(
        "role of date of birth",
        "In the patients table, which role does `date_of_birth` have?",
        "Alone it names nobody, but with sex and ZIP (or another list holding it) it singles people out.",
        ("A quasi-identifier", None),
        ("A sensitive attribute",
         "Sensitive attributes hurt when disclosed (a diagnosis, blood values); a birth date matters because it "
         "helps to find out who a record belongs to."),
        ("Not personal data once the names are removed",
         "With names removed, 99.7 % of the records are still unique on date of birth, sex and ZIP: it is personal "
         "data."),
        ("A direct identifier",
         "A direct identifier names a person on its own (a name, an SSN); thousands of people share a birthday, so "
         "the date needs other columns or an outside list."),
    ),
    _choice(
        "what uniqueness means",
        "With every naming column dropped, 99.7 % of the patients are unique on date of birth, sex and ZIP. What "
        "follows?",
        "Unique within the release is not yet a name, but any outside list with names and those three columns turns "
        "each matching record into a named one (lesson 01 does the join).",
        ("Only the hospital can re-identify them, because only it has the names",
         "A public register holds names with the same three columns; that is all a linkage needs."),
        ("The release is anonymous: no column in it names anyone, so it may be shared freely",
         "No column names anyone, yet the combination singles people out: that is how linkage works."),
        ("99.7 % of the patients have been re-identified",
         "Unique in the release is not named: the attacker also needs each person in an outside list (lesson 01 "
         "names about two thirds)."),
        ("Whoever holds a named list with those columns can name those on it", None),
    ),
    _choice(
        "the approved column",
        "In the credit data, what does the column `approved` hold?",
        "`approved` is the lender's past decisions, which took a documented penalty against group B; `repaid` is the "
        "truth we know only because the data is synthetic.",
        ("Whether the applicant would have repaid the loan, as recorded afterwards",
         "That is `repaid`, known only because the data is synthetic; a real lender never sees it for the people it "
         "refused."),
        ("A fair label, since group B repays less often",
         "Group B repays almost as often (0.74 against 0.76) but was approved far less often (0.54 against 0.83)."),
        ("The predictions of the lender's current model",
         "No model has been trained yet: `approved` is the history a model would learn from."),
        ("The lender's past decisions, which penalised group B", None),
    ),
    _choice(
        "a model without the group column",
        "A credit model is trained without the `group` column. Can it still treat group B differently?",
        "Yes: `zip_area` carries group membership (some areas are under 20 % group B, others over 80 %), and the "
        "historical labels carry the penalty.",
        ("If group B really repays less, and not otherwise",
         "Group B repays almost as often; the gap the model would learn is the history's penalty, not repayment."),
        ("No: without the column, the model has no way of knowing anyone's group",
         "A proxy such as `zip_area` tells the model the group almost as well as the column."),
        ("Only if the model is non-linear, such as a forest",
         "A plain logistic regression learns the proxy too (lesson 07 measures it)."),
        ("Yes: `zip_area` and the history's labels carry the group and its penalty into the model", None),
    ),
    _choice(
        "the placeholder",
        "You run `q1.check(consent_share)` while `consent_share = ____` is still the starter line. What happens?",
        "The blank is a real object that check() recognises: it reports 'not attempted' and nothing breaks.",
        ("The solution is shown",
         "Only solution() reveals the solution; check() gives feedback on your answer."),
        ("Reported as not attempted", None),
        ("A NameError or another error stops the cell",
         "The placeholder `____` is imported in the setup cell; check() never raises."),
        ("It is counted as a wrong answer",
         "A blank is not an answer: it is reported as not attempted, not as incorrect."),
    ),
    _choice(
        "hints",
        "You call `q2.hint()` twice in a row. What does the second call show?",
        "Each call shows the next hint; hint(1) re-reads the first, and after the last one hint() points at "
        "solution().",
        ("The first hint again",
         "hint() moves on to the next hint each time; hint(1) is how to read the first one again."),
        ("The second hint", None),
        ("The solution",
         "The solution is never shown by hint(); after the last hint it tells you to call solution()."),
        ("An error, because each hint can be asked for once",
         "Hints can be asked for any number of times; after the last one hint() says there are no more."),
    ),
])


# --------------------------------------------------------------------------------------
# 01 Privacy basics
# --------------------------------------------------------------------------------------

quiz01 = Quiz("Quiz 01: privacy basics", [
    _choice(
        "name against date of birth",
        "Only 91 % of the patients have a name nobody else has, while 77 % have a unique date of birth. Why is `name` "
        "a direct identifier and `date_of_birth` a quasi-identifier?",
        "Roles are about what points at a person: a name does so on its own, a birth date only combined with other "
        "columns or an outside list holding it.",
        ("A birth date is a sensitive attribute, which hurts when disclosed, rather than an identifying one",
         "Sensitive attributes hurt when disclosed (diagnosis, blood values); the birth date is listed for what it "
         "helps identify."),
        ("A name has many more distinct values than a birth date",
         "They have about as many (5,717 against 5,265 distinct values): counts do not decide the role."),
        ("Because the threshold for a direct identifier is 90 % uniqueness",
         "There is no uniqueness threshold: the measurements back a role, they do not define it."),
        ("A name points at one person by itself; a birth date needs other columns or an outside list that holds it",
         None),
    ),
    _choice(
        "the linkage attack",
        "The release overwrites names and e-mails and drops the other direct identifiers. Joined with the public roll "
        "on date of birth, sex and ZIP, how many of the 6,000 patients does it name, and how reliably?",
        "4,006 records (66.8 %) match exactly one roll entry, and 99.8 % of the recovered names are right.",
        ("99.7 % of them, all correctly",
         "99.7 % are unique in the release; the attacker can only name people who are also on the roll."),
        ("About two thirds, and about half of those names are wrong",
         "Only 9 of 4,006 names are wrong, all of patients who are not on the roll."),
        ("About two thirds, and almost all of those correctly", None),
        ("None: the names were overwritten with REDACTED",
         "The names come back from the roll, through the three columns the release kept."),
    ),
    _choice(
        "reading the minimisation interval",
        "Test accuracy with every column is 0.708, with the minimised columns 0.711; the 95 % interval of the paired "
        "difference is [-0.0037, +0.0088]. What does this show?",
        "The interval contains zero and is a fraction of a point wide: the identifiers and unneeded columns bought no "
        "accuracy.",
        ("The identifiers help: the full model's training accuracy is 0.998",
         "A training accuracy near 1 with the same test accuracy is memorisation, which membership inference "
         "exploits."),
        ("A plain paired t-test over the 25 splits would be more trustworthy than this interval",
         "The splits share training rows, so their scores are correlated; the plain test is over-confident."),
        ("Minimising improves the model by 0.3 points",
         "The interval contains zero: the 0.3-point difference is within the noise of the splits."),
        ("Minimising costs no measurable accuracy", None),
    ),
    NumericProblem(
        title="a four-row test set",
        question="Another tutorial 'shows' that minimisation costs nothing, testing on 4 rows (the lesson's toy "
                 "tested on 2). With an accuracy of p = 0.71, what is the standard error of the accuracy, "
                 "sqrt(p(1 - p) / n) with n = 4? (A share, e.g. 0.05.)",
        expected=0.2269,
        rtol=0.02,
        known_mistakes=[
            (0.0515, "That is the variance p(1 - p)/n: take its square root to get a standard error."),
            (0.4538, "That is sqrt(p(1 - p)) without dividing by the number of rows n = 4."),
            (0.0131, "That is the standard error for 1,200 test rows, the lesson's real test sets, not for 4."),
            (22.69, "That is the standard error in percentage points; give it as a share (0.05 for 5 %)."),
            (0.1134, "That divides sqrt(p(1 − p)) by n; the division by n goes inside the square root."),
        ],
        explanation="About 0.23: on four rows an accuracy is uncertain by more than twenty points, so any 'no loss' "
                    "claim is noise.",
    ),
    _choice(
        "retention and the clock",
        "Why does the retention rule keep admissions from the 5 years before the data's reference date (2025-12-31) "
        "rather than before `datetime.now()`?",
        "A rule tied to the clock gives a different training set every day, so nobody can reproduce last month's "
        "model; the reference date makes the filter reproducible and testable.",
        ("A clock-based rule changes the training set daily, so no model is reproducible", None),
        ("Filtering the training set is how retention is enforced, so any fixed date will do",
         "Filtering a training set deletes nothing: retention is enforced where the data is stored."),
        ("`datetime.now()` is timezone-naive, so the filter would be off by several hours every day",
         "A time zone moves the cut-off by hours at most; the problem is that it moves every day."),
        ("The GDPR requires retention periods to be counted from a fixed date",
         "The GDPR asks to keep data no longer than necessary; which date to count from is an engineering choice."),
    ),
    _choice(
        "what chmod protects against",
        "A research extract gets `os.chmod(path, 0o600)`. Against whom does that protect it?",
        "The bits stop other ordinary users of the same running system, and only them.",
        ("Other ordinary users of the same running system, and only them", None),
        ("Someone who steals the laptop's disk",
         "Another operating system ignores the bits; only encryption at rest protects a stolen disk (lesson 02)."),
        ("Root and administrators",
         "Root ignores permission bits: in many containers notebooks even run as root."),
        ("A malicious package running under your own account",
         "Every process of your user reads your 0o600 files; permissions name a user, not a program."),
    ),
    _choice(
        "GDPR status of the release",
        "Names are replaced by `REDACTED`, date of birth, sex and ZIP are kept. Under the GDPR this release is:",
        "Recital 26 counts every means reasonably likely to be used, such as a join with a public register: the "
        "release is personal data, and not even pseudonymised in the sense of Art. 4(5).",
        ("Anonymous data, outside the GDPR",
         "A join with a public register is a means reasonably likely to be used (Recital 26), and it names two "
         "thirds of the patients."),
        ("Pseudonymised data, and therefore outside the GDPR",
         "Pseudonymised data is personal data for whoever has means to re-identify it (Recital 26, EDPS v SRB); "
         "here a public list gives every recipient that means."),
        ("Anonymous, once the vendor's contract states that the data is anonymous",
         "Anonymity is a question of fact, measured by what an attacker can do, not a contract term."),
        ("Personal data, and not even pseudonymised in the sense of Art. 4(5)", None),
    ),
    _choice(
        "a principle mapped to practice",
        "Which engineering practice does the lesson map to the GDPR's storage limitation (Art. 5(1)(e))?",
        "Storage limitation: keep data no longer than necessary, so delete it after a stated retention period, where "
        "it is stored.",
        ("Encrypting the records at rest",
         "Encryption serves integrity and confidentiality (Art. 5(1)(f))."),
        ("Dropping the columns the purpose does not need",
         "That is data minimisation (Art. 5(1)(c))."),
        ("Refusing requests for columns that lie outside the declared research purpose",
         "That is purpose limitation (Art. 5(1)(b))."),
        ("Deleting records after a retention period, where they are stored", None),
    ),
])


# --------------------------------------------------------------------------------------
# 02 Encryption
# --------------------------------------------------------------------------------------

quiz02 = Quiz("Quiz 02: encryption and secure data handling", [
    _choice(
        "a flipped bit in a Fernet token",
        "One bit of a Fernet token is flipped. What does `fernet.decrypt(token)` do?",
        "Fernet authenticates with HMAC-SHA256: any change to the token is detected before decryption.",
        ("Raises InvalidToken", None),
        ("Returns the original plaintext, since one bit hardly matters",
         "Every bit is covered by the MAC; nothing is returned from a changed token."),
        ("Only AES-GCM would notice; Fernet just hides data",
         "Fernet is authenticated too; what AES-GCM adds is associated data."),
        ("Returns the plaintext with one garbled block",
         "That is unauthenticated encryption (CBC without a MAC); Fernet checks its MAC first."),
    ),
    _choice(
        "a ciphertext moved to another row",
        "An attacker pastes patient 2's valid encrypted diagnosis into patient 1's row. What detects it?",
        "AES-GCM authenticates associated data that the reader supplies again: bind the patient ID and a moved "
        "ciphertext fails with InvalidTag.",
        ("Padding the values to one length",
         "Padding hides lengths; it does not bind a ciphertext to a row."),
        ("Fernet, because it detects any change",
         "Fernet detects edits inside a token; a whole valid token moved to another row decrypts without complaint."),
        ("AES-GCM with the patient ID bound as associated data", None),
        ("Nothing: encryption cannot tie a value to its record",
         "Associated data does exactly that: it is authenticated without being encrypted."),
    ),
    _choice(
        "what encryption hides",
        "Each diagnosis is encrypted cell by cell with AES-GCM and a fresh nonce. What can someone with only the "
        "encrypted table learn?",
        "Ciphertext length follows plaintext length: the six labels have six lengths, so all 6,000 diagnoses were "
        "read from lengths alone until the cells were padded to one size.",
        ("Nothing: AES-256 hides everything",
         "Encryption hides what the bytes are, not how many there are."),
        ("The diagnoses, only if a nonce was reused",
         "Nonce reuse is a second, different leak; lengths leak even with fresh nonces."),
        ("Every diagnosis, from the ciphertext lengths alone", None),
        ("The diagnoses, but only by brute-forcing the 256-bit key, which is infeasible",
         "No key is needed: grouping ciphertexts by length is enough."),
    ),
    _choice(
        "storing staff passwords",
        "How should the staff portal store passwords?",
        "A salted, slow, memory-hard function at OWASP's cost: Argon2id with m = 19 MiB, t = 2, p = 1, stored as a "
        "PHC string so the cost travels with the hash.",
        ("Argon2id at OWASP's minimum cost or above, with a random salt per password, in a PHC string", None),
        ("SHA-256 with a random salt per account",
         "The salt stops one table serving every account, but SHA-256 is fast: an attacker still tries billions of "
         "guesses a second."),
        ("Encrypted with Fernet under a key kept apart, so they can be checked after decryption",
         "Encryption is reversible: whoever holds the key reads every password."),
        ("scrypt at N = 2^14, as many tutorials use",
         "N = 2^14 needs 16 MiB, below OWASP's minimum; the course's `verify_password` refuses such a hash."),
    ),
    _choice(
        "a leaked key and rotation",
        "A Fernet key leaks. You rotate: MultiFernet with a new key first, `rotate()` on every stored token, the old "
        "key retired. What about ciphertexts an attacker copied before?",
        "Rotation protects what is encrypted from now on; copies taken earlier still open with the leaked key. Treat "
        "it as a breach (find what was exposed; where required, notify the authority within 72 hours), then rotate.",
        ("MultiFernet decrypts only with its first key, so the attacker fails",
         "MultiFernet encrypts with the first key and decrypts with any; the attacker uses plain Fernet anyway."),
        ("They are unreadable now, since the key was retired",
         "Retiring a key stops you using it, not the attacker who holds a copy."),
        ("rotate() invalidated them",
         "rotate() re-encrypts your stored tokens; it cannot reach copies you no longer control."),
        ("They still decrypt with the leaked key: handle it as a breach", None),
    ),
    _choice(
        "what HPKE gives",
        "The hospital wraps a fresh data key for the partner with HPKE (RFC 9180, base mode, as in the lesson) to the "
        "partner's X25519 public key. What does that achieve?",
        "Only the partner's private key unwraps it; but anyone can encrypt to a public key, so the partner cannot "
        "tell the hospital's package from a forgery. Sign it (e.g. Ed25519) to prove the sender.",
        ("Only the partner can read it; nothing proves the sender", None),
        ("The hospital can decrypt it later with the same public key",
         "A public key only encrypts; unwrapping needs the partner's private key."),
        ("The same as e-mailing the Fernet key next to the data",
         "E-mailing the key hands it to anyone who reads the mail; HPKE never sends it in the clear."),
        ("Only the partner can read it, and the partner knows the hospital sent it",
         "In base mode anyone holding the public key can make a package; proving the sender needs a signature (or "
         "HPKE's Auth mode)."),
    ),
    _choice(
        "a client that turns verification off",
        "A client sets `check_hostname = False` and `verify_mode = ssl.CERT_NONE` to 'fix' certificate errors. What "
        "is the result?",
        "It completes a handshake with anyone, including an impostor with a certificate from a CA nobody trusts, and "
        "hands it the record.",
        ("The same as `ssl.wrap_socket`, which verifies by default",
         "`ssl.wrap_socket` verified nothing by default, and it was removed in Python 3.12."),
        ("Fine if the hostname check alone stays on",
         "Anyone can make a certificate naming any host: the name means something only on a verified chain, and "
         "Python refuses CERT_NONE while check_hostname is on (ValueError)."),
        ("Still safe: the connection is encrypted",
         "It is encrypted to the impostor: encryption without verification does not say to whom."),
        ("It hands the record to any impostor", None),
    ),
    _choice(
        "what a verified JWT proves",
        "`jwt.decode(token, secret, algorithms=['HS256'], options={'require': ['exp', 'iat']})` accepts a token. What "
        "has that proved?",
        "The claims were issued by someone holding the secret and have not expired. They are signed, not encrypted, "
        "and cannot be withdrawn before `exp`.",
        ("The claims were hidden from everyone on the way",
         "The payload is base64: anyone reads it without the secret."),
        ("Only the authorisation server, which holds the secret, could have issued it",
         "With HS256 every service that can verify holds the secret and can also issue; use RS256, ES256 or EdDSA "
         "when verifiers must not issue."),
        ("Issued by a secret holder; not expired", None),
        ("It can be revoked at any moment by the issuer",
         "A JWT stays valid until `exp`: keep it short or keep a server-side deny-list."),
    ),
])


# --------------------------------------------------------------------------------------
# 03 Masking, pseudonymisation and anonymisation
# --------------------------------------------------------------------------------------

quiz03 = Quiz("Quiz 03: masking, pseudonymisation and anonymisation", [
    _choice(
        "the naive mask",
        "`naive_mask = lambda card: '*' * (len(card) - 4) + card[-4:]`. What does `naive_mask('123')` return?",
        "`len('123') - 4` is -1, `'*' * -1` is the empty string, and `card[-4:]` is the whole value: nothing is "
        "masked. Run a snippet's example (or test it) before trusting its comment.",
        ("'*123'",
         "A negative repeat count gives no stars at all, not one."),
        ("'123'", None),
        ("It raises an error for a negative length",
         "Python repeats a string a negative number of times silently: it gives ''."),
        ("'***'",
         "That is what a good mask returns for a short value; this one computes a negative count."),
    ),
    _choice(
        "a plain hash of an SSN",
        "Each SSN-format number is replaced by its unsalted SHA-256 hash. Who can reverse it?",
        "There are at most 10^9 such numbers: hash every candidate and look the hashes up. One area of 10^6 "
        "candidates takes seconds in plain Python.",
        ("Nobody: a hash cannot be decrypted",
         "It cannot be decrypted, but it can be guessed: the value space is small enough to hash entirely."),
        ("Anyone, by hashing every possible number", None),
        ("Nobody, if a salt is stored beside each hash",
         "The attacker hashes each candidate with the stored salt; a per-record salt only repeats the search per "
         "record."),
        ("Only the hospital, which knows the algorithm",
         "SHA-256 is public and needs no secret: everyone can compute it."),
    ),
    _choice(
        "who can reverse an HMAC pseudonym",
        "SSNs are replaced by HMAC-SHA-256 pseudonyms under a secret key. Who can re-identify a record?",
        "Without the key no candidate's pseudonym can be computed; with it the same brute force works. So the data is "
        "pseudonymised: personal data for the key holder (Recital 26), and here for anyone who can run the "
        "linkage attack on the quasi-identifiers.",
        ("Whoever can query the vault",
         "That describes tokens; an HMAC pseudonym is computed from the value and the key, with no vault."),
        ("The key holder, by the same brute force with the key", None),
        ("Nobody, so the data is anonymous",
         "The key holder can, so the data is pseudonymised, not anonymous: personal data at least for the key "
         "holder."),
        ("Anyone, because an HMAC is just another hash that can be brute-forced",
         "Without the key an attacker cannot compute a single candidate's pseudonym to compare."),
    ),
    _choice(
        "who can reverse a token",
        "Card numbers are tokenised with a vault. Who can turn a token back into the card number?",
        "A token is random, not computed from the value: only the vault (or whoever may query or breaches it) maps it "
        "back. One value gets one token, so tokens still link a person's records.",
        ("Anyone, by brute force as with a hash",
         "A token is random, not computed from the card number: there is nothing to recompute."),
        ("The holder of the HMAC key",
         "Tokens have no key: the mapping lives only in the vault."),
        ("Nobody, and tokens also stop records being linked",
         "The vault reverses them, and one value gets one token, so a person's records stay linkable."),
        ("The vault, and whoever may query or breach it", None),
    ),
    _choice(
        "what k = 5 promises",
        "A release is 5-anonymous on birth band, sex and ZIP3. What is guaranteed?",
        "k is the size of the smallest class: a join on exactly those quasi-identifiers cannot single out fewer than "
        "5 records. It says nothing about what those records share.",
        ("It hides whether a person is in the release at all",
         "None of k, l or t hides membership."),
        ("No one can learn anyone's diagnosis or outcome from it",
         "A class can be homogeneous: when all its members share an outcome, knowing the class discloses it."),
        ("Every combination of birth band, sex and ZIP3 in the release is shared by at least 5 records", None),
        ("It is safe against any quasi-identifier an attacker might know, such as an admission date",
         "k holds only for the declared quasi-identifiers; one left out makes k meaningless."),
    ),
    _choice(
        "l-diversity against t-closeness",
        "With the ZIP dropped, every class holds all 6 diagnoses (l = 6), yet t (diagnosis) is still 0.156. Why?",
        "l counts distinct values; t is the largest distance between a class's distribution and the whole table's. "
        "Diagnosis varies with age, so birth bands differ in their mix.",
        ("A class's mix of diagnoses still differs from the whole table's mix, as diagnosis varies with age",
         None),
        ("l = 6 implies t = 0, so 0.156 is noise",
         "Having every value is not having them in the table's proportions: l and t measure different things."),
        ("t measures the size of the smallest class, which is still small without the ZIP",
         "Class size is k; t compares distributions of the sensitive value."),
        ("t falls to 0 only after suppression",
         "Suppression removes small classes; it does not make class distributions equal the table's."),
    ),
    _choice(
        "k against the attack",
        "The '5-year band, ZIP3' release still has k = 1, yet the attacker (who generalises the roll the same way) "
        "names only 2 of the 6,000 patients. What does this mean?",
        "k is a promise about the release; the attack's success is one measurement against one outside dataset. A "
        "neighbour who knows of the admission needs no roll.",
        ("k describes the release; the attack is one test against one list", None),
        ("The release is safe, so k does not matter",
         "Someone who knows a neighbour was admitted finds a lone record at once: k = 1 still singles people out."),
        ("The attack is broken: it should have generalised the roll before joining on the bands",
         "It did generalise the roll with the same rules; almost all lone patients are not on it or share a "
         "class there."),
        ("k is computed wrongly for that release",
         "k = 1 is right: some class of the release holds one record."),
    ),
    _choice(
        "the utility cost",
        "Anonymising moves model accuracy by at most 0.003 but the count of patients born 1957-1966 by up to 4.2 %. "
        "What should you conclude?",
        "The cost depends on what the data is used for: the model keeps its clinical features, the count suffers "
        "where bands cut across its range. Measure the real uses before choosing a release.",
        ("The cost depends on the use: measure it for each real use", None),
        ("Always use 10-year bands, since the model's accuracy hardly moved with them",
         "10-year bands had the largest query error (4.2 %): accuracy alone is the wrong test."),
        ("Anonymisation is free",
         "The model barely moves because the clinical features are unchanged and age is weak; a query by year or ZIP "
         "pays."),
        ("Suppression caused the query error",
         "None of the suppressed records was born 1957-1966: the error comes from bands that straddle the range."),
    ),
])


# --------------------------------------------------------------------------------------
# 04 Differential privacy
# --------------------------------------------------------------------------------------

quiz04 = Quiz("Quiz 04: differential privacy", [
    _choice(
        "what epsilon bounds",
        "A mechanism M is ε-differentially private. What exactly does ε bound?",
        "For every pair of neighbouring datasets and every set S of outputs, P[M(D) ∈ S] ≤ e^ε P[M(D') ∈ S]: a "
        "property of the mechanism, over all pairs, not of one dataset or one attacker.",
        ("The error of each released answer",
         "Accuracy depends on the sensitivity and the noise; ε bounds how much the output's distribution depends on "
         "one person."),
        ("How much one person can change the probability of any set of outputs: by a factor of at most e^ε, for "
         "all neighbours", None),
        ("The probability that an attacker guesses one record exactly",
         "DP bounds a ratio of probabilities between neighbours, not one attacker's success rate."),
        ("The ratio of output probabilities on this dataset and its neighbours, measured against the attacks we "
         "actually tried",
         "It holds for every pair of neighbours and every output set; an audit on one pair can refute it, never "
         "establish it."),
    ),
    _choice(
        "stopping a differencing attack",
        "An attacker subtracts 'total HbA1c of Elmwood's 400 patients' and 'the same, without those born on 12 June "
        "1925' to read a neighbour's value. What stops this?",
        "Noise calibrated to each query's sensitivity over ε (the Laplace mechanism), with a budget that limits how "
        "often queries can be repeated and averaged.",
        ("Answering only queries that cover at least k people",
         "Both queries cover about 400 people: size thresholds do not stop differencing."),
        ("Noise drawn from a fixed, documented seed, so that every answer is reproducible and auditable",
         "Whoever knows or guesses the seed regenerates the noise and subtracts it."),
        ("A fixed amount of noise, say ±1, on each answer",
         "One record can move a sum of HbA1c clipped to [4, 14] by 14: noise must scale with the sensitivity."),
        ("Laplace noise, scale sensitivity/ε, under a budget", None),
    ),
    NumericProblem(
        title="the Laplace scale of a clipped sum",
        question="HbA1c values are clipped to [4, 14] and summed. Neighbours differ by one record added or removed. "
                 "What Laplace scale b gives ε = 0.5?",
        expected=28.0,
        rtol=0.01,
        known_mistakes=[
            (20.0, "10 / 0.5 uses upper − lower, the change when a record is replaced; adding or removing one record "
                   "moves the sum by up to its whole value, 14."),
            (7.0, "That multiplies the sensitivity by ε; the scale is sensitivity divided by ε."),
            (0.0357, "That is ε / sensitivity, upside down: smaller ε must mean more noise."),
            (39.6, "That is the standard deviation of Lap(b), √2·b; the question asks for the scale b."),
            (14.0, "That is the sensitivity Δ; the scale divides it by ε."),
        ],
        explanation="b = Δ/ε = 14 / 0.5 = 28: removing one clipped record changes the sum by at most 14.",
    ),
    _choice(
        "sensitivity from the data",
        "A copied function sets the 'sensitivity' of a mean to the largest gap between adjacent sorted values, "
        "then adds Laplace noise for ε = 1. What is wrong?",
        "The noise level is computed from the private data, so it differs between neighbours and itself leaks; the "
        "audit certifies ε ≥ 7.6 where 1 is claimed, and no finite ε holds.",
        ("It is fine as long as one audit returns a value below the claim",
         "An audit below the claim proves nothing; the proof is the density ratio argument."),
        ("Only that it crashes on a single record",
         "The crash is the mildest symptom: on all-equal data it adds no noise at all and still claims ε = 1."),
        ("Its noise depends on the data and leaks: audited ε far above 1", None),
        ("Nothing: a sensitivity measured on the data itself is the tightest, and so the most accurate",
         "Sensitivity is a worst case over all neighbours; read from this data it changes when one record changes."),
    ),
    _choice(
        "what an audit proves",
        "`dp.estimate_epsilon` returns 0.94 for a mechanism that claims ε = 1. What does that prove?",
        "The audit gives a 95 % lower bound on the true ε: a value above the claim refutes it, a value below only "
        "means 'not caught on this pair and these events'.",
        ("The mechanism violates its claim",
         "Only an estimate above the claimed ε refutes it."),
        ("The claim is pessimistic: the mechanism may advertise ε = 0.94",
         "The true ε can be larger than any audit finds; only a proof sets it."),
        ("The mechanism is 0.94-differentially private",
         "It is a lower bound from one pair of datasets and a few events, not a guarantee."),
        ("Not caught on this pair and these events, no more", None),
    ),
    _choice(
        "composition over hospitals",
        "Each of the five hospitals' counts of readmitted patients is released with Laplace noise at ε = 0.5; neighbours "
        "differ by "
        "one patient added or removed, and each patient belongs to one hospital. What is the total ε?",
        "Parallel composition: the hospitals hold disjoint patients, so one patient touches one count and the release "
        "costs the largest ε, 0.5.",
        ("0.1",
         "ε is not shared out among the groups: each count is released with the full per-query ε."),
        ("0.5 × √5",
         "Growth like √k is what tighter accounting (zCDP) gives for repeated queries on the same people, not for "
         "disjoint groups."),
        ("0.5", None),
        ("2.5",
         "Sequential composition adds ε's for queries about the same people; these five counts are about disjoint "
         "groups."),
    ),
    _choice(
        "why delta must be tiny",
        "The Gaussian mechanism gives (ε, δ)-DP. Why must δ be far smaller than 1/n?",
        "δ is an additive slack on top of the ratio bound: with δ = 1/n, a mechanism that publishes one random record "
        "in full would qualify.",
        ("δ is the probability that the Gaussian noise exceeds σ, which must be rare compared with 1/n",
         "δ is not about the noise's size: it is allowed slack in the privacy inequality itself."),
        ("With δ = 1/n, publishing one random record in full would qualify", None),
        ("δ is the ε of the Gaussian mechanism, counted separately",
         "ε and δ are two parts of one guarantee: the ratio bound and the additive slack."),
        ("A smaller δ makes the noise smaller",
         "A smaller δ needs more noise, though only like √ln(1/δ): it is affordable, which is not why it must be "
         "small."),
    ),
    _choice(
        "a private model without data_norm",
        "diffprivlib's `LogisticRegression(epsilon=1.0)` is fitted without `data_norm`. What happens?",
        "It computes the norm bound from the training data, a data-dependent quantity that leaks (section 3's mistake "
        "inside a library), and says so with a PrivacyLeakWarning. Declare it from known bounds.",
        ("Nothing that matters: data_norm affects accuracy, not privacy",
         "The noise is calibrated to data_norm; a bound read from the data breaks the guarantee."),
        ("It uses a safe default norm of 1",
         "There is no safe default: without a declared bound it reads the bound from the data."),
        ("It refuses to fit",
         "It fits, and warns; the model it returns is not private as claimed."),
        ("It reads the bound from the data, which leaks, and warns (PrivacyLeakWarning)", None),
    ),
])


# --------------------------------------------------------------------------------------
# 05 Federated learning
# --------------------------------------------------------------------------------------

quiz05 = Quiz("Quiz 05: federated learning", [
    _choice(
        "who gains from federation",
        "Local-only models are scored on the common held-out set. Which hospitals gain most by joining the federation?",
        "Small or skewed hospitals: Cedar Vale (few readmissions) and Dunmore (many) are about 4 points worse alone; "
        "Ashford, the largest, does as well alone.",
        ("The small or unusual ones", None),
        ("None: FedAvg is worse than every local model on this data",
         "FedAvg reaches the pooled accuracy within a few rounds, on both splits."),
        ("Ashford, the largest",
         "Ashford's local model is as good as the pooled one (within the test set's noise)."),
        ("All five equally",
         "The losses alone range from about 0 (Ashford) to 4 points (Cedar Vale, Dunmore)."),
    ),
    _choice(
        "why weight by client size",
        "Why does FedAvg weight hospital k's update by n_k / n?",
        "Each hospital's gradient is a mean over its own patients, so the size-weighted sum is the pooled gradient: "
        "with one local step FedAvg is pooled gradient descent to the last bit.",
        ("The unweighted mean gives the same model on average, so weighting only changes the speed",
         "It optimises the average of the hospitals' losses: one Elmwood patient counts about three times as much, "
         "and the model lands elsewhere."),
        ("Weighting protects the privacy of small hospitals",
         "Weighting changes what is optimised, not what an update reveals."),
        ("Larger hospitals are more trustworthy",
         "Weighting is arithmetic, not trust: it makes every patient count once."),
        ("Weighted, the gradients add up to the pooled one", None),
    ),
    _choice(
        "what a single-record update leaks",
        "A clinic sends the server the update of a logistic regression trained on one patient. What can the server "
        "recover?",
        "Every step adds a multiple of the same vector (x, 1): dividing by the intercept entry gives x exactly, and "
        "its sign gives the label.",
        ("Only the label",
         "The label comes from the sign; the features come back too, to rounding."),
        ("The features, only up to an unknown scale",
         "That is the case without an intercept; with one, the division gives them exactly."),
        ("The patient's features exactly, and the label", None),
        ("Nothing: only model parameters leave the clinic",
         "'The data never leaves' is true and not enough: the update is a function of the record."),
    ),
    _choice(
        "what secure aggregation hides",
        "With pairwise masks, what does the server learn?",
        "Each masked update looks like noise and the masks cancel in the sum: the server learns the sum (and the "
        "model built from it), nothing else about individual updates.",
        ("Nothing at all about the hospitals' data",
         "The sum and the model are released exactly; what they reveal about patients needs DP."),
        ("Only the sum of the updates", None),
        ("Each update, since the server can subtract the masks",
         "The server never learns the pairwise masks: only the two hospitals of each pair know theirs."),
        ("The sum, even when a hospital drops out after masking",
         "A dropped hospital's masks stay in the sum; the real protocol recovers them with secret shares."),
    ),
    _choice(
        "which epsilon to report",
        "DP-FedAvg runs 5 rounds at noise multiplier z = 2 (δ = 1e-5). Exact composition gives ε = 4.98; adding up "
        "the per-round ε's gives 10.89; one patient's record gets 11.48. What is the right statement?",
        "ε = 4.98 for one hospital added or removed (client-level DP, exact μ-GDP composition); a single patient's "
        "record can move a clipped update by up to 2S, so per patient it is 11.48.",
        ("ε = 4.98 for one whole hospital added or removed (client level)", None),
        ("ε = 10.89, because adding up is the safe choice",
         "Adding up is valid but overstates the cost; the exact accounting is equally sound and tighter."),
        ("ε = 1.99, the cost of one round",
         "Every round spends privacy: five rounds compose."),
        ("ε = 4.98 for each patient's record",
         "Per patient the sensitivity is 2S, which doubles μ: 11.48."),
    ),
    _choice(
        "the cost of DP with five clients",
        "At z = 8 (client-level ε ≈ 1 over 5 rounds), how does the DP-FedAvg model do?",
        "Worse than predicting 'not readmitted' for everyone (0.567 against 0.603): with five clients the noise is "
        "divided by five, not by thousands.",
        ("About one point below non-private FedAvg",
         "A one-point cost is what ε ≈ 5 (z = 2) buys."),
        ("Worse than always predicting 'not readmitted'", None),
        ("No cost: the noise averages out over 6,000 patients",
         "Client-level noise is averaged over clients, and there are only five."),
        ("Better than non-private, since noise regularises",
         "Accuracy falls from 0.696 to about 0.57, with a wide spread between seeds."),
    ),
    _choice(
        "a malicious hospital",
        "Ashford is compromised and sends its update flipped and scaled by 10 every round. Which aggregate keeps the "
        "model near honest accuracy?",
        "A coordinate-wise median or trimmed mean keeps every coordinate within the honest hospitals' range, however "
        "large the attacker's values.",
        ("The weighted mean, since Ashford is only one of five",
         "The weighted mean follows the scaled update: accuracy collapses to 0.35."),
        ("Secure aggregation",
         "It hides the individual updates, which robust aggregation needs; it does not remove a bad one."),
        ("A coordinate-wise median or trimmed mean", None),
        ("Adding DP noise to the sum",
         "Noise hides individuals; it does not outvote a poisoned update."),
    ),
    _choice(
        "what Flower changes",
        "The same federation runs on Flower, a SuperLink and five SuperNodes over TLS. What changes?",
        "Processes, certificates, connections, timeouts and logs; the FedAvg arithmetic is the same, and the results "
        "agree with the from-scratch version.",
        ("Flower adds secure aggregation and differential privacy to every federation by default",
         "Neither is on by default: both are extra strategy wrappers or workflows."),
        ("Flower weights every hospital equally",
         "Flower's FedAvg weights by each client's `num-examples`, like ours."),
        ("Each hospital must open an inbound port",
         "SuperNodes connect out to the SuperLink; only the SuperLink must be reachable."),
        ("Processes and TLS, not the maths", None),
    ),
])


# --------------------------------------------------------------------------------------
# 06 Homomorphic encryption and secure computation
# --------------------------------------------------------------------------------------

quiz06 = Quiz("Quiz 06: homomorphic encryption and secure computation", [
    _choice(
        "multiplying Paillier ciphertexts",
        "Under Paillier, what does the product E(a) · E(b) mod n² decrypt to?",
        "Multiplying ciphertexts multiplies the (1 + n)^m parts, so the exponents add: an encryption of a + b.",
        ("a + b", None),
        ("Nothing useful without the private key",
         "Anyone can multiply ciphertexts; only decrypting the result needs the key."),
        ("A random number, because encryption is randomised",
         "The random factors multiply into a new random factor, which decryption removes; the message parts still "
         "combine in a fixed way."),
        ("a · b",
         "Paillier cannot multiply two encrypted values; look at what multiplying (1 + n)^a by (1 + n)^b does to the "
         "exponents."),
    ),
    _choice(
        "what the partner can compute",
        "The partner holds Paillier-encrypted features and plain weights. Which can it compute without the key?",
        "E(w·x + b) = Σ w_i E(x_i) + b: additions and multiplications by plain numbers, exactly what Paillier "
        "supports.",
        ("The sigmoid of the score",
         "The sigmoid is non-linear: the patient's side applies it after decrypting."),
        ("The product of two encrypted features",
         "Paillier multiplies a ciphertext only by a plain number."),
        ("Whether the score is above 0",
         "Comparisons are not supported on ciphertexts."),
        ("The linear score w·x + b, still encrypted", None),
    ),
    _choice(
        "ciphertexts handed to a model",
        "A service calls `model.predict(encrypted_features)` on an ordinary scikit-learn model. What happens?",
        "predict fails at the comparison with 0 and predict_proba inside the sigmoid; only decision_function (the "
        "linear part) happens to work. Fed as plain numbers, ciphertexts give meaningless 'risks'.",
        ("It works, and stays private, if the server decrypts the features first",
         "Then the server holds the private key and reads every record: that protects the transit only."),
        ("It works unchanged with CKKS instead of Paillier",
         "CKKS still needs the sigmoid replaced by a polynomial evaluated with CKKS operations."),
        ("It returns encrypted predictions, which the client decrypts with its private key",
         "Nothing in the model knows the scheme: the comparison and the sigmoid cannot run on ciphertexts."),
        ("It fails, or computes on something that is not the data", None),
    ),
    _choice(
        "what encrypted scoring does not hide",
        "In encrypted scoring the partner sees only Paillier ciphertexts. What does it still learn?",
        "Paillier hides values and their equality, but not metadata: that a patient was scored, when, how many "
        "features, by whom.",
        ("The score",
         "The partner computes the score encrypted and never decrypts it; only the patient's side does."),
        ("The feature values",
         "Paillier is semantically secure: a ciphertext reveals nothing about its value without the key."),
        ("Which patients have equal values",
         "Encryption is randomised: equal values give different ciphertexts."),
        ("The metadata: who asked, when, and how many values", None),
    ),
    _choice(
        "where encryption time goes",
        "Encrypting one value takes longer than scoring a whole patient. What is expensive, and what helps?",
        "The factor r^n mod n² (a 4096-bit exponentiation) does not depend on the message, so it can be computed "
        "ahead of time; each factor is used once.",
        ("r^n mod n², which can be precomputed", None),
        ("Key generation, which has to be repeated for each patient who is scored",
         "One key pair serves every patient."),
        ("The random factor: reuse one for all values",
         "A reused factor makes E(a)/E(b) an unrandomised encryption of a − b."),
        ("The sigmoid; approximate it with a polynomial",
         "The sigmoid runs in plain text on the patient's side and costs nothing."),
    ),
    NumericProblem(
        title="ciphertext expansion",
        question="With a 2048-bit Paillier modulus n, a ciphertext is a number below n². By what factor does "
                 "encrypting one float64 feature (8 bytes) grow it?",
        expected=64.0,
        rtol=0.01,
        known_mistakes=[
            (32.0, "That is 256 / 8: a ciphertext lives modulo n², 4,096 bits, not n."),
            (512.0, "512 is the ciphertext's size in bytes; divide by the 8 bytes of the plain value."),
            (1.0, "Paillier ciphertexts are far larger than the value they hold, and all of the same size."),
            (0.015625, "That is 8 / 512, upside down: the ciphertext is the larger of the two."),
        ],
        explanation="n² has 4,096 bits, 512 bytes, against 8 bytes in plain text: ×64.",
    ),
    _choice(
        "the CKKS polynomial outside its range",
        "The sigmoid is replaced by a cubic fitted on [-4, 4] and evaluated with CKKS. What happens for a score of 7?",
        "The polynomial is good only where it was fitted: at 7 its error is 1.25, far beyond CKKS's own noise (below "
        "1e-3). The score range must be known in advance.",
        ("Its error there is above 1", None),
        ("CKKS noise dominates the error",
         "CKKS noise stays below 1e-3; the polynomial's error is the large one."),
        ("CKKS computes the exact sigmoid",
         "CKKS only adds and multiplies: the sigmoid must become a polynomial."),
        ("Adding more 30-bit primes to the modulus chain fixes the error there",
         "More primes allow more multiplications (depth); they do not extend the range the cubic was fitted on."),
    ),
    _choice(
        "what a two-party secure sum reveals",
        "Ashford and Brookside compute the sum of their age totals with additive secret sharing. What does Ashford "
        "learn?",
        "Secure computation hides inputs, not outputs: the joint sum minus Ashford's own input is Brookside's input, "
        "exactly. Protecting the output is DP's job.",
        ("Brookside's age total, exactly", None),
        ("Only an estimate of Brookside's total",
         "The subtraction is exact: no noise is added to the output."),
        ("Nothing beyond the sum, so Brookside's total stays secret",
         "With two parties, the sum minus your own input is the other's input."),
        ("Nothing, since every share is uniformly random",
         "The shares are uniform; the output is not a share."),
    ),
])


# --------------------------------------------------------------------------------------
# 07 Fairness
# --------------------------------------------------------------------------------------

quiz07 = Quiz("Quiz 07: fairness", [
    _choice(
        "demographic parity difference for one applicant",
        "The model's demographic parity difference by group is 0.14, group B being approved less. What does that "
        "mean to one group B applicant?",
        "People of my group are approved 14 points less often, on average. It needs no label and does not say whether "
        "finances justify the gap.",
        ("I am being discriminated against by 14 points",
         "The difference measures; it does not say why the rates differ."),
        ("My group's approval rate is 14 points lower", None),
        ("If I would repay, I am 14 points more likely than others to be refused",
         "That is an error-rate gap (equal opportunity, equalised odds), measured against a label."),
        ("The model is 14 % less accurate for my group",
         "Demographic parity compares approval rates, not accuracy."),
    ),
    _choice(
        "dropping the sensitive column",
        "The lender drops `group` but keeps `zip_area`. What happens to the approval gap?",
        "It stays about 0.14: `zip_area` guesses the group right 81 % of the time, so the model recovers the group "
        "and the history's penalty through it.",
        ("It grows to 0.34",
         "0.34 is the gap of the model that uses `group` openly."),
        ("It stays about the same, because `zip_area` is a proxy that carries the group", None),
        ("It no longer matters: a model without the column cannot discriminate",
         "Discrimination is measured on outcomes; dropping the column only removes your ability to see it."),
        ("It disappears",
         "Removing a column does not remove what other columns say about it: `zip_area` guesses the group right 81 % "
         "of the time."),
    ),
    _choice(
        "accuracy on biased labels",
        "The model that uses `group` openly has the highest accuracy against `approved` and the lowest against "
        "`repaid`. Why?",
        "Accuracy against biased labels rewards learning the bias: the model imitates the history's penalty.",
        ("`group` is a legitimately predictive feature, so using it raises accuracy",
         "Against the truth the same model is the least accurate: what it predicts well is the history's penalty."),
        ("Accuracy against biased labels rewards learning the bias", None),
        ("The test set is too small to tell",
         "The two rankings are opposite and consistent across the lesson's models, not noise."),
        ("`repaid` is a noisier label than `approved`",
         "`repaid` is the synthetic truth; `approved` is the one with the injected penalty."),
    ),
    _choice(
        "equalised odds on biased labels",
        "`ThresholdOptimizer` with the equalised-odds constraint is fitted on `approved`. What happens to its "
        "equalised odds difference measured against `repaid`?",
        "It equalises error rates relative to the biased history, which preserves the bias: against the truth the "
        "difference gets worse (about 0.23).",
        ("It cannot be measured, because the group is needed at prediction time",
         "The group is available in the test data; the measurement is made."),
        ("It gets worse: the constraint was met on biased labels", None),
        ("It falls to about 0.03",
         "0.03 is the difference against `approved`, the label it was fitted on."),
        ("It does not change",
         "The new thresholds change many decisions, and the difference against `repaid` moves by about 0.1."),
    ),
    _choice(
        "the impossibility result",
        "When base rates differ between groups, which pair cannot hold together for an imperfect classifier?",
        "FPR = p/(1 − p) · (1 − PPV)/PPV · (1 − FNR): with equal PPV and equal FNR, different base rates p force "
        "different FPR, so equalised odds and predictive parity conflict.",
        ("None: with enough data all three definitions hold",
         "More data does not change base rates; only equal base rates or perfect prediction remove the conflict."),
        ("Demographic parity and high accuracy",
         "That is a trade-off, not an impossibility; against the truth the fairer model was even more accurate."),
        ("Equalised odds and predictive parity", None),
        ("Demographic parity and equal opportunity",
         "Both can be met together, with per-group (randomised) thresholds; the identity ties FPR, FNR and PPV to "
         "the base rate."),
    ),
    _choice(
        "differential privacy and a small group",
        "diffprivlib's logistic regression is trained at ε ≤ 2 on a history where group B is 8 % of applicants. What "
        "did the lesson measure?",
        "Group B lost more accuracy than A (nearly twice the gap at its real share) and its would-be repayers were "
        "refused more often; in any "
        "single run B is worse only 70-85 % of the time, so evaluate by group over several seeds.",
        ("One private model is enough to see the effect",
         "In a single run B is the less accurate group only 70-85 % of the time: one draw can go either way."),
        ("The noise is the same for everyone, so the gap is unchanged",
         "The same noise swamps the signal learned from few records: the small group pays more."),
        ("DP makes the model fairer, because noise hides the group",
         "The gaps grew with noise; DP protects individuals, not groups' outcomes."),
        ("Group B lost more accuracy, on average over many seeds", None),
    ),
    _choice(
        "group_summary",
        "A 2020 tutorial calls `fairlearn.metrics.group_summary(accuracy_score, y_true, y_pred, "
        "sensitive_features=...)`. What happens on a current fairlearn?",
        "group_summary was removed in fairlearn 0.5: the import fails. MetricFrame replaces it, with keyword "
        "arguments only.",
        ("It works, with a deprecation warning",
         "It was removed in fairlearn 0.5 (2020), not deprecated: the import raises ImportError."),
        ("The import fails: use MetricFrame with keyword arguments", None),
        ("It works if renamed to MetricFrame with the same positional arguments",
         "MetricFrame's arguments are keyword-only since 0.10."),
        ("It returns the result for the first group only",
         "It returns nothing: the name no longer exists."),
    ),
])


# --------------------------------------------------------------------------------------
# 08 Explainability
# --------------------------------------------------------------------------------------

quiz08 = Quiz("Quiz 08: explainability", [
    _choice(
        "an explanation read as medicine",
        "SHAP says a patient's glucose raises their readmission risk more than their HbA1c, though the outcome model "
        "that made the data has no glucose term. What is the explanation?",
        "Faithful to the model, which uses glucose as a stand-in for the correlated HbA1c (0.83): a statement about "
        "the model, not about the patient's body.",
        ("Evidence that lowering this patient's glucose would lower their readmission risk",
         "Explanations are not causal: the outcome does not depend on glucose at all."),
        ("Faithful to the model, which uses glucose in place of HbA1c", None),
        ("Proof that the data generator has a glucose term",
         "The datasheet says it has none; correlated features share credit."),
        ("Wrong: SHAP misattributes credit",
         "SHAP reports what the model does, and the model does use glucose."),
    ),
    _choice(
        "SHAP against permutation importance",
        "bmi has non-zero SHAP contributions but a negative permutation importance on held-out data. What does that "
        "say?",
        "The model uses bmi (it fitted noise in the training data), but shuffling it on new patients does not hurt: "
        "it carries no signal.",
        ("The model uses bmi, but bmi does not help it predict new patients", None),
        ("bmi is among the most important features",
         "A negative permutation importance means shuffling it did not hurt held-out predictions."),
        ("Permutation importance is broken when negative",
         "A negative value is within noise of zero: the feature is worth nothing for prediction."),
        ("bmi shares its information with a correlated feature",
         "That is the glucose/HbA1c case, where both look minor alone and matter together."),
    ),
    NumericProblem(
        title="from a waterfall to a probability",
        question="A gradient-boosting model's SHAP waterfall shows base value −0.481 and contributions adding to "
                 "+1.932, in log-odds. What is the predicted probability of readmission?",
        expected=0.8102,
        rtol=0.01,
        known_mistakes=[
            (1.451, "That is the total in log-odds; a probability is the sigmoid of it."),
            (2.314, "That adds the contributions to sigmoid(base): they add up in log-odds, not in probability."),
            (0.382, "That is the sigmoid of the base value alone; add the contributions first."),
            (0.8735, "That is the sigmoid of the contributions without the base value."),
            (81.02, "That is the probability as a percentage; give it as a share between 0 and 1."),
            (1.932, "That is the contributions alone, in log-odds: add the base value, then take the sigmoid."),
        ],
        explanation="sigmoid(−0.481 + 1.932) = sigmoid(1.451) ≈ 0.81: additivity holds in the explainer's output "
                    "space, log-odds here.",
    ),
    _choice(
        "the old indexing",
        "On SHAP 0.51 a random forest's `explainer.shap_values(X)` returns an array of shape (rows, features, "
        "classes). What is `shap_values[0][0]`?",
        "Patient 0, feature 0 ('age'), both classes. The old 'list per class' meaning ended with SHAP 0.45; call the "
        "explainer to get an Explanation and select the class explicitly, `[..., 1]`.",
        ("It raises an IndexError",
         "It returns two numbers; the old force_plot call built on it is what fails."),
        ("Class 0's explanation of patient 0",
         "That was the meaning before SHAP 0.45, when shap_values was a list with one array per class."),
        ("The positive class's explanation of patient 0",
         "Nothing selects a class here; the class is the last index."),
        ("Patient 0's first feature ('age'), for both classes at once", None),
    ),
    _choice(
        "partial dependence and ICE",
        "The partial-dependence curve of age rises by +0.48 from age 24 to 95. What do the ICE curves add?",
        "The same change is not the same for everyone: from +0.25 to +0.68 per patient. And with correlated features "
        "the curves visit combinations no real patient has.",
        ("Nothing: ICE is the same curve drawn more often",
         "ICE draws one curve per patient before averaging: the spread is what it shows."),
        ("Every patient's risk rises by exactly 0.48",
         "That is the average; per patient it ranges from +0.25 to +0.68."),
        ("The spread the average hides", None),
        ("The causal effect of ageing on each patient",
         "PD and ICE describe the model's response, and extrapolate when features are correlated."),
    ),
    _choice(
        "LIME's kernel width",
        "LIME explains the same patient at kernel width 0.5 instead of its default (about 2.5). What happens?",
        "The weights shrink about tenfold and the top three features change from seed to seed; nothing in LIME's "
        "output says which width is right, so report width and seeds.",
        ("Nothing: LIME is deterministic",
         "LIME samples at random: its answer moves with the seed."),
        ("Unstable, shrunken weights", None),
        ("It matches SHAP exactly",
         "LIME fits a surrogate with its own definition; it never matches SHAP by construction."),
        ("A narrower kernel gives a more faithful, more local answer for this one patient",
         "It gives unstable, shrunken weights: almost all weight goes to a few samples."),
    ),
    _choice(
        "dropping the proxy the explanation shows",
        "SHAP shows `zip_area` lowering group B applicants' log-odds by about 0.4. The team drops `zip_area` and "
        "retrains. What happens?",
        "The gap shrinks (0.14 to 0.05) but does not close although both groups repay alike: the labels still carry "
        "the bias, and the explanation now shows no suspicious column.",
        ("Nothing changes",
         "The gap falls from 0.14 to 0.05."),
        ("A clean explanation, which proves the model fair",
         "An explanation shows what a model uses, not whether its outcomes are fair; measure outcomes by group."),
        ("The model is now fair",
         "The groups repay almost equally, yet a 0.05 approval gap remains."),
        ("The gap shrinks but stays, and the explanation looks clean", None),
    ),
    _choice(
        "logged explanations",
        "The hospital logs each patient's SHAP values (without the features) 'for transparency'. What is that log?",
        "Personal health data: the diagnoses come back exactly from the signs of their contributions and the order of "
        "ages nearly so. Log for a stated purpose, restrict access, set a retention period.",
        ("Personal data only when the Explanation object is stored",
         "The object also stores the raw record, but the values alone already reveal the diagnoses."),
        ("Anonymous, since the features are left out",
         "The diagnoses come back from the signs (100 %) and the age order nearly so (rank correlation 0.98)."),
        ("Personal health data", None),
        ("Required by GDPR Art. 22, which grants every data subject a binding right to an explanation",
         "Art. 22 gives a right not to be subject to solely automated decisions, with safeguards; the 'right to an "
         "explanation' is in Recital 71, which guides interpretation but is not binding on its own."),
    ),
])


# --------------------------------------------------------------------------------------
# 09 Attacks on ML and defences
# --------------------------------------------------------------------------------------

quiz09 = Quiz("Quiz 09: attacks on machine learning and their defences", [
    _choice(
        "the threat model of model extraction",
        "In the threat-model table, what does a model-extraction attacker touch?",
        "Only the deployed model's queries and answers: a paying API user or competitor wants a copy (confidentiality "
        "of the model).",
        ("One input at prediction time, prepared to get a chosen decision for it",
         "That is evasion: the attacker wants a chosen decision, not the model."),
        ("The model file or a dependency",
         "That is the supply-chain attack on artefacts between training and serving."),
        ("Queries and answers", None),
        ("The training labels",
         "Editing labels is data poisoning, an attack on training."),
    ),
    _choice(
        "why accuracy misses a backdoor",
        "135 poisoned rows with a trigger (BMI 50, systolic 180) are appended to 4,500. Why does a test-accuracy "
        "check not find the backdoor?",
        "The model behaves as before on clean inputs (0.691 → 0.693): only the trigger changes its output. Spectral "
        "signatures find the rows, at the cost of dropping real, unusual patients.",
        ("Only a trigger changes its output", None),
        ("The trigger values are out of range, so such inputs are rejected at the API",
         "BMI 50 lies inside the declared range [10, 60]: triggers are chosen to look plausible."),
        ("Backdoors only affect deep networks",
         "This one is planted in a logistic regression."),
        ("It does: accuracy falls noticeably",
         "Clean accuracy did not fall: 0.691 before, 0.693 after."),
    ),
    _choice(
        "trimmed-loss training past its limit",
        "Trimmed-loss training (refit on the 90 % best-fitted rows) restores accuracy up to 10 % targeted label "
        "flips. What happens at 20 %?",
        "Past its breaking point (between 12.5 and 15 % here) the poison outnumbers the truth where it sits: the "
        "model fits the poison and trimming removes honest rows.",
        ("It breaks only if the flips are random, not targeted",
         "Random flips are label noise a linear model averages away (0.689 at 20 %); targeted ones drag the "
         "boundary."),
        ("It costs nothing at any level of attack",
         "It always discards 10 % of the patients, the hard, unusual cases, even with no attack."),
        ("It still restores the clean accuracy",
         "At 20 % it falls to about 0.44, below always guessing."),
        ("It breaks: it fits the poison and trims the honest rows", None),
    ),
    _choice(
        "adversarial training's cost",
        "A linear model is trained to resist edits of ε = 0.2 on smoker, prior admissions and length of stay. What "
        "did it do?",
        "It set the weights of the editable features to zero, so edits cannot move it, and paid about three points of "
        "clean accuracy: those fields carry real signal.",
        ("It moved weight onto age, which nobody can edit",
         "Edits cannot move it because the editable features' weights went to zero; age was never editable anyway."),
        ("It became robust at no cost in clean accuracy",
         "Clean accuracy dropped by about three points."),
        ("Ignored the editable fields; accuracy fell", None),
        ("It learned to detect edited records",
         "It does not detect anything: it minimises the loss of the worst allowed edit."),
    ),
    _choice(
        "reading a membership-inference result",
        "Against a fully grown forest the loss-threshold attack has AUC 0.83, and a TPR of 0.000 at 1 % FPR. What do "
        "you conclude?",
        "The forest leaks (it fits members far better); this one-threshold attack just cannot name anyone "
        "confidently. Stronger per-record attacks (shadow models, LiRA) can: report TPR at low FPR with a strong "
        "attack before calling a model safe.",
        ("The attack identifies 83 % of the training patients",
         "AUC is the chance that a random member ranks above a random non-member, not a share of people named."),
        ("Regularising the forest cannot help",
         "At least 20 patients per leaf brought the AUC to 0.55 and improved test accuracy."),
        ("It leaks; read a stronger attack at low FPR before calling anything safe", None),
        ("The forest is safe, since the attack names nobody at a 1 % false-positive rate",
         "That is a limit of this weak attack, not safety: per-record attacks identify members with few false "
         "positives."),
    ),
    NumericProblem(
        title="the bound DP puts on membership inference",
        question="For an ε-DP training algorithm, Yeom et al. bound any membership attack's advantage (TPR − FPR) by "
                 "e^ε − 1. What is the bound at ε = 0.1?",
        expected=0.10517,
        rtol=0.01,
        known_mistakes=[
            (0.1, "ε itself is only an approximation: e^ε − 1 is slightly larger."),
            (1.10517, "That is e^ε, the ratio bound; the advantage bound subtracts 1."),
            (0.0, "DP does not make an attack useless: it caps how far above chance it can get."),
            (10.517, "That is the bound as a percentage; give it as a share (TPR − FPR lies in [0, 1])."),
        ],
        explanation="e^0.1 − 1 ≈ 0.105; the bound is meaningful only for ε below about 0.7, where it stays under 1.",
    ),
    _choice(
        "copying a model through its API",
        "The API returns the exact probability from a logistic regression with 10 features. How many queries does an "
        "attacker need to copy it exactly?",
        "log(p/(1 − p)) = w·x + b is linear: 11 answers give all 11 parameters. Rounding or labels-only answers slow "
        "the copy (dozens to hundreds of queries) but do not stop it.",
        ("Thousands, as for any machine-learning model",
         "A logistic model is solved, not learned: the log-odds are linear in the input."),
        ("Impossible without real patient records",
         "Synthetic random queries suffice; the API does not check them."),
        ("About 11, by solving linear equations", None),
        ("Rounding the answers to 0.1 would stop it",
         "Rounded answers still give 98 % agreement after 25 queries: they slow the copy, no more."),
    ),
    _choice(
        "a model file you can trust",
        "The serving side loads a model file from a shared artefact store. Which protects against both code execution "
        "and a swapped model?",
        "An arrays-only format (numpy.load with allow_pickle=False) stops code execution; an Ed25519 signature "
        "verified on the exact bytes before parsing stops substitution.",
        ("numpy.load with allow_pickle=False alone",
         "That stops code execution, not substitution: the attacker can still swap in other weights."),
        ("An arrays-only format, plus an Ed25519 signature verified on the exact bytes before parsing", None),
        ("A Docker image containing the model",
         "An image gives a reproducible run, not integrity: pin by digest and verify a signature."),
        ("pickle, after scanning the file for suspicious imports with a maintained scanner",
         "Blocklist scanners can be evaded, and pickle runs code while loading."),
    ),
])


# --------------------------------------------------------------------------------------
# 10 Capstone
# --------------------------------------------------------------------------------------

quiz10 = Quiz("Quiz 10: capstone, a private, fair, explainable pipeline", [
    _choice(
        "targets first",
        "Why does the ethics board write the targets (ε ≤ 1.5, accuracy drop ≤ 2 points, attack AUC ≤ 0.55, ...) "
        "before any result is seen?",
        "Choosing targets after seeing results fits them to the data, the same mistake as tuning ε on the private "
        "data; targets set first make the card evidence.",
        ("Chosen later, they would fit the results", None),
        ("The GDPR prescribes these values",
         "No law sets these numbers: the board chooses them, and is accountable for them."),
        ("So that the pipeline is sure to pass",
         "The card is meant to be able to fail: the harm pipeline fails three checks."),
        ("Because results cannot be measured without targets",
         "Every number is measured either way; the targets decide what counts as good enough."),
    ),
    _choice(
        "what a coin-toss attack proves",
        "The membership attack on the patient-level DP model has AUC 0.499. What does that establish?",
        "A weak attack on the average patient is a lower bound, not a proof. ε = 1 is the guarantee: it bounds every "
        "attack's AUC by 0.575, above the 0.55 target.",
        ("Little; ε caps any attack's AUC at 0.575", None),
        ("The target of 0.55 is guaranteed by ε",
         "The bound from ε (0.575) is above the target; the card passes on the measured number only."),
        ("The model is proven private",
         "One weak attack on the average patient proves nothing about the most exposed ones."),
        ("DP always pushes the attack AUC to exactly 0.5, so the result was expected",
         "DP bounds the AUC (here at 0.575); a linear model barely leaks to this attack even without DP."),
    ),
    NumericProblem(
        title="composing three retrainings",
        question="Each yearly training is ε = 1 (δ = 1e-5, a Gaussian mechanism accounted exactly). A patient "
                 "admitted in 2023 is in all three trainings. What ε does that patient spend in total?",
        expected=1.835,
        rtol=0.02,
        known_mistakes=[
            (3.0, "That is the naive sum: Gaussian mechanisms compose by adding μ², so ε grows about like √k."),
            (1.0, "Each training spends ε again: the patient is in all three."),
            (1.732, "μ grows by exactly √3, but ε is not proportional to μ, so √3 · ε is only a rough guess. Use the "
                    "accountant."),
        ],
        explanation="About 1.83 by exact composition (μ grows by √3), under the naive 3 but over the target 1.5.",
    ),
    _choice(
        "local against central DP",
        "At the same ε per patient, how do local DP on the records and central DP in training compare?",
        "Local DP leaves a model no better than 'not readmitted' up to ε = 30, while central DP costs almost nothing: "
        "every record carries its own noise, which averages away only as 1/√N.",
        ("Central DP needs far more data for the same accuracy",
         "It is the other way round: local DP provably needs far more data."),
        ("Local DP leaves a useless model; central DP costs almost nothing", None),
        ("About the same: ε is ε",
         "Same ε, different noise: local noise is on every record, central noise once on the aggregate."),
        ("Local DP is more accurate, because nobody has to be trusted with the records",
         "Needing no trusted party is local DP's one real advantage; accuracy is its cost."),
    ),
    _choice(
        "who adds the noise",
        "Each hospital adds its share of the Gaussian noise (standard deviation z·C/√5) to its sum before secure "
        "aggregation. What does that mean for ε = 1?",
        "It holds against the server and anyone who sees the model; a hospital knows its own share and can subtract "
        "it, so against that hospital the guarantee is weaker (ε ≈ 1.13), and a hospital that skips its share weakens "
        "it for everyone.",
        ("ε = 1 holds equally against every hospital",
         "Each hospital knows its own noise share: the noise left against it is √(4/5) as large, so its ε is larger."),
        ("A hospital that skips its share changes nothing, thanks to the others' noise",
         "The total noise is then smaller than the accountant assumed: ε grows for every patient."),
        ("It holds against the server and model users, and is weaker against each hospital", None),
        ("With secure aggregation the noise is unnecessary",
         "Masks hide each hospital's sum from the server; the released model still needs the noise."),
    ),
    _choice(
        "whose data ε covers",
        "A fairness post-processing (`ThresholdOptimizer`) is fitted on a separate audit set of patients. Does the "
        "training's ε = 1 cover those patients?",
        "No: post-processing is free only when it does not read the data again. The thresholds read the audit "
        "patients' labels, so every prediction depends on them with no bound; they need their own lawful basis, "
        "consent, or DP budget.",
        ("No: the audit patients' labels shape every prediction, unbounded", None),
        ("Yes, because the audit set is small",
         "A small set is, if anything, more exposed: size gives no guarantee."),
        ("Yes, because the audit patients gave their consent to take part in the audit",
         "Consent is a lawful basis, not a privacy bound: ε still does not cover them."),
        ("Yes: post-processing a DP model is free",
         "Post-processing immunity covers functions of the DP output alone; this one reads the audit patients' "
         "labels."),
    ),
    _choice(
        "the unit of privacy",
        "With the same noise multiplier, patient-level DP (clip each patient's gradient) reaches 0.711 accuracy and "
        "lesson 05's hospital-level DP-FedAvg (clip each hospital's update) 0.394. Why?",
        "DP protects the unit you clip: thousands of patients share one noise, five hospitals make each hospital's "
        "influence, and so the noise needed, as large as the signal.",
        ("Hospital-level DP protects patients better than patient-level DP, which costs accuracy",
         "They protect different units: one hospital's whole data against one patient's record."),
        ("DP protects the unit you clip", None),
        ("Secure aggregation was off in the hospital-level run",
         "Secure aggregation hides updates; it does not change the noise or the accuracy."),
        ("The patient-level model used a larger ε",
         "Both use the same noise multiplier; the ε refers to different units."),
    ),
])

#: Every lesson's quiz, by lesson number.
QUIZZES: dict[int, Quiz] = {n: globals()[f"quiz{n:02d}"] for n in range(11)}
for _number, _quiz in QUIZZES.items():
    _quiz.name = f"quiz{_number:02d}"
