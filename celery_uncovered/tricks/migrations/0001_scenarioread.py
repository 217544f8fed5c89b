from django.db import migrations, models
import django.utils.timezone


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ScenarioRead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("task_id", models.CharField(max_length=64, unique=True)),
                ("locale_id", models.CharField(max_length=16)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
    ]
