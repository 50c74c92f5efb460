//! Schema migrations. Never imports `entity`: a migration describes the schema as it was
//! when it was written, so old migrations keep meaning what they meant.
pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261128_000002_demands;
mod m20261128_000003_events;
mod m20261128_000004_submissions;
mod m20261128_000005_mystery;
mod m20261128_000006_supervision;
mod m20261128_000007_policies;
mod m20261128_000008_policy_attachments;
mod m20261128_000009_wecom;
mod m20261128_000010_bot_groups;
mod m20261128_000011_callbacks;
mod m20261128_000012_reports;
mod m20261128_000013_media;
mod m20261128_000014_plans;
mod m20261128_000015_privacy;
mod m20261129_000016_request_keys;
mod m20261205_000017_file_attachments;
mod m20261205_000018_ended_sessions;
mod m20261205_000019_outbox;
mod m20261205_000020_delivery_code;
mod m20261205_000021_telephony;
mod m20261205_000022_sms;
mod m20261206_000023_clues;
mod m20261206_000024_visits;
mod m20261206_000025_inspections;
mod m20261206_000026_leniency;
mod m20261206_000027_inspection_invites;
mod m20261206_000028_customer_groups;
mod m20261206_000029_open_demands;
mod m20261206_000030_enterprise_matching;
mod m20261206_000031_due_soon;
mod m20261207_000032_matching_without_rows;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_demands::Migration),
            Box::new(m20261128_000003_events::Migration),
            Box::new(m20261128_000004_submissions::Migration),
            Box::new(m20261128_000005_mystery::Migration),
            Box::new(m20261128_000006_supervision::Migration),
            Box::new(m20261128_000007_policies::Migration),
            Box::new(m20261128_000008_policy_attachments::Migration),
            Box::new(m20261128_000009_wecom::Migration),
            Box::new(m20261128_000010_bot_groups::Migration),
            Box::new(m20261128_000011_callbacks::Migration),
            Box::new(m20261128_000012_reports::Migration),
            Box::new(m20261128_000013_media::Migration),
            Box::new(m20261128_000014_plans::Migration),
            Box::new(m20261128_000015_privacy::Migration),
            Box::new(m20261129_000016_request_keys::Migration),
            Box::new(m20261205_000017_file_attachments::Migration),
            Box::new(m20261205_000018_ended_sessions::Migration),
            Box::new(m20261205_000019_outbox::Migration),
            Box::new(m20261205_000020_delivery_code::Migration),
            Box::new(m20261205_000021_telephony::Migration),
            Box::new(m20261205_000022_sms::Migration),
            Box::new(m20261206_000023_clues::Migration),
            Box::new(m20261206_000024_visits::Migration),
            Box::new(m20261206_000025_inspections::Migration),
            Box::new(m20261206_000026_leniency::Migration),
            Box::new(m20261206_000027_inspection_invites::Migration),
            Box::new(m20261206_000028_customer_groups::Migration),
            Box::new(m20261206_000029_open_demands::Migration),
            Box::new(m20261206_000030_enterprise_matching::Migration),
            Box::new(m20261206_000031_due_soon::Migration),
            Box::new(m20261207_000032_matching_without_rows::Migration),
        ]
    }
}
