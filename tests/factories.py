import datetime

import factory
from django.contrib.auth import get_user_model

from orgs.models import Maintainer, Organisation, OrgType, Region, Relationship, Submission
from principles.models import Assessment, Endorsement, Principle
from resources.models import Resource
from taxonomy.models import Term, Vocabulary


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class VocabularyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vocabulary
        django_get_or_create = ("slug",)

    slug = "consequences"
    name = factory.LazyAttribute(lambda v: v.slug.replace("-", " ").capitalize())


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    vocabulary = factory.SubFactory(VocabularyFactory)
    slug = factory.Sequence(lambda n: f"term-{n}")
    name = factory.Sequence(lambda n: f"Term {n}")
    definition = factory.LazyAttribute(lambda t: f"What {t.name} means.")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    summary = factory.LazyAttribute(lambda o: f"{o.name} works on fair technology.")
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.org/")
    org_type = OrgType.CHARITY
    region = Region.LONDON
    city = "London"
    latitude = 51.5
    longitude = -0.12

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        if create and extracted:
            self.terms.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    source = factory.SubFactory(OrganisationFactory)
    target = factory.SubFactory(OrganisationFactory)
    kind = Relationship.Kind.PARTNER


class MaintainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Maintainer

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Robin Keeper"
    email = factory.Sequence(lambda n: f"keeper{n}@example.org")
    role = "Director"
    status = Maintainer.Status.ACTIVE


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    kind = Submission.Kind.NEW
    data = factory.Dict({"name": "New Organisation", "website": "https://new.example.org/"})
    submitter_name = "Sam Submitter"
    submitter_email = "sam@example.org"
    consent = True


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle

    slug = factory.Sequence(lambda n: f"principle-{n}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Principle {n}")
    summary = "Do the right thing."


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    organisation = factory.SubFactory(OrganisationFactory)
    principle = factory.SubFactory(PrincipleFactory)
    level = 3
    assessed_on = factory.LazyFunction(datetime.date.today)


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    organisation = factory.SubFactory(OrganisationFactory)
    principle = factory.SubFactory(PrincipleFactory)


# Factories for the public pages (issue 3). Imported here, not at the top, so parallel branches
# appending their own factories do not collide on the import lines.
from principles.models import LevelDescriptor, MaturityLevel, Practice  # noqa: E402


class MaturityLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaturityLevel
        django_get_or_create = ("level",)

    level = factory.Sequence(lambda n: n % 5 + 1)
    name = factory.LazyAttribute(lambda m: f"Level {m.level} name")
    description = factory.LazyAttribute(lambda m: f"What level {m.level} means.")


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    principle = factory.SubFactory(PrincipleFactory)
    text = factory.Sequence(lambda n: f"Practice number {n}.")


class LevelDescriptorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevelDescriptor

    principle = factory.SubFactory(PrincipleFactory)
    level = 1
    description = factory.LazyAttribute(lambda d: f"At level {d.level} the team does this.")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"resource-{n}")
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.LazyAttribute(lambda r: f"https://example.org/{r.slug}/")
    kind = Resource.Kind.GUIDE
    summary = factory.LazyAttribute(lambda r: f"{r.title} helps teams do better.")
    publisher_name = "A Publisher"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def principles(self, create, extracted, **kwargs):
        if create and extracted:
            self.principles.set(extracted)
