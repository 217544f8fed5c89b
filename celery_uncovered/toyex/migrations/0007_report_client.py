from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('toyex', '0006_report_pages_fetched_from_page_rows'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='client',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
    ]
