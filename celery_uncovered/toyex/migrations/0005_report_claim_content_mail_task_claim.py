import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("toyex", "0004_report_page_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="csv_content",
            field=models.TextField(blank=True),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running"])),
                fields=("period", "since"),
                name="one_active_report_per_period_and_day",
            ),
        ),
        migrations.CreateModel(
            name="MailTaskClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("task_id", models.CharField(max_length=64, unique=True)),
                ("claimed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent", models.BooleanField(default=False)),
            ],
        ),
    ]
