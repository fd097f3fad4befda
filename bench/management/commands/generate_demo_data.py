from django.core.management.base import BaseCommand, CommandError

from bench.demo_data import demo_data_delete, demo_data_generate


class Command(BaseCommand):
    help = (
        "Benchmarks only: add synthetic partners, agreements, events and societies, N times the seed's volume, "
        "marked «[демо]»/[demo] with demo- slugs. Re-running replaces them; --delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="How many times the seed's volume (default 1).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same number gives the same data.")
        parser.add_argument("--delete", action="store_true", help="Only remove the synthetic records.")

    def handle(self, *args, scale, seed, delete, **options):
        if delete:
            demo_data_delete()
            self.stdout.write(self.style.SUCCESS("Synthetic records removed."))
            return
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        try:
            counts = demo_data_generate(scale=scale, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Synthetic data (scale {scale}, seed {seed}): {summary}."))
