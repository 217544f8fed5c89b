import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("toyex", "0002_report_notice"),
    ]

    operations = [
        migrations.CreateModel(
            name="ErrorMailClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fingerprint", models.CharField(max_length=64)),
                ("window_start", models.DateTimeField()),
                ("window_seconds", models.FloatField()),
                ("description", models.CharField(max_length=300)),
                ("count", models.PositiveIntegerField(default=1)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("fingerprint", "window_start"), name="one_error_mail_per_window"
                    )
                ],
            },
        ),
    ]
