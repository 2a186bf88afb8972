//! Staff accounts, for administrators: list, create (the authenticator secret is shown once),
//! disable. Administrators run the system; they do not read victims' cases.

use super::{FieldError, Nav, Posted, Staff, forbidden, not_found, unavailable};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::staff::{Role, Username, check_password};
use store::{AuditEntry, NewStaffUser, StaffUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/users", get(list).post(create))
        .route("/console/users/{user_id}/disable", post(disable))
}

#[derive(Template, WebTemplate)]
#[template(path = "console/users.html")]
struct UsersPage {
    nav: Nav,
    users: Vec<StaffUser>,
    roles: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
    created: Option<(String, String, String)>,
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}

async fn page(
    state: &AppState,
    staff: &Staff,
    errors: Vec<FieldError>,
    created: Option<(String, String, String)>,
) -> Response {
    match state.db.staff_users().await {
        Ok(users) => {
            let status = if errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (
                status,
                UsersPage {
                    nav: Nav::of(staff),
                    users,
                    roles: roles(),
                    errors,
                    created,
                },
            )
                .into_response()
        }
        Err(e) => unavailable(&e),
    }
}

async fn list(State(state): State<AppState>, staff: Staff) -> Response {
    if !staff.user.role.administers() {
        return forbidden();
    }
    page(&state, &staff, Vec::new(), None).await
}

async fn create(State(state): State<AppState>, Posted { staff, f }: Posted) -> Response {
    if !staff.user.role.administers() {
        return forbidden();
    }
    let mut errors = Vec::new();
    let username = Username::parse(f.get("username").unwrap_or_default())
        .map_err(|e| {
            errors.push(FieldError {
                field: "username",
                message: format!("Sign-in name {e}"),
            })
        })
        .ok();
    let display_name = f.get("display_name").unwrap_or_default().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        errors.push(FieldError {
            field: "display_name",
            message: "Enter the person's name (at most 100 characters)".into(),
        });
    }
    let role = Role::parse(f.get("role").unwrap_or_default())
        .map_err(|e| {
            errors.push(FieldError {
                field: "role",
                message: format!("Role {e}"),
            })
        })
        .ok();
    let password = f.raw("password").unwrap_or_default().to_owned();
    if let Err(e) = check_password(&password) {
        errors.push(FieldError {
            field: "password",
            message: format!("Password {e}"),
        });
    }
    let collar = f.get("collar_number").map(str::to_owned);
    if role == Some(Role::OfficerInCase) && collar.is_none() {
        errors.push(FieldError {
            field: "collar_number",
            message: "An officer in the case needs their collar number".into(),
        });
    }
    let team = f.get("team").map(str::to_owned);
    if role == Some(Role::PartnerAgencyWorker) && !known_agency(&state, team.as_deref()) {
        errors.push(FieldError {
            field: "team",
            message: "A partner agency worker's team is their agency's id in the support \
                      directory (such as victim-support)"
                .into(),
        });
    }
    let (Some(username), Some(role), true) = (username, role, errors.is_empty()) else {
        return page(&state, &staff, errors, None).await;
    };
    let new = NewStaffUser {
        username,
        display_name,
        role,
        team,
        collar_number: collar,
        password,
    };
    let created = match state.db.create_staff_user(new, Utc::now()).await {
        Ok(c) => c,
        Err(store::StoreError::Refused(problems)) => {
            let errors = problems
                .into_iter()
                .map(|p| FieldError {
                    field: "username",
                    message: format!("Sign-in name {}", p.problem),
                })
                .collect();
            return page(&state, &staff, errors, None).await;
        }
        Err(e) => return unavailable(&e),
    };
    if let Err(r) = staff
        .audit(
            &state,
            AuditEntry {
                action: "created staff account".into(),
                detail: format!("{} as {}", created.user.username, created.user.role),
                ..AuditEntry::default()
            },
        )
        .await
    {
        return r;
    }
    page(
        &state,
        &staff,
        Vec::new(),
        Some((created.user.username, created.totp_secret, created.totp_url)),
    )
    .await
}

async fn disable(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    Posted { staff, f: _ }: Posted,
) -> Response {
    if !staff.user.role.administers() {
        return forbidden();
    }
    let Ok(user_id) = user_id.parse::<i64>() else {
        return not_found();
    };
    if user_id == staff.user.user_id {
        let errors = vec![FieldError {
            field: "users",
            message: "You cannot disable your own account".into(),
        }];
        return page(&state, &staff, errors, None).await;
    }
    match state.db.disable_staff_user(user_id, Utc::now()).await {
        Ok(_) => {}
        Err(e) => return unavailable(&e),
    }
    if let Err(r) = staff
        .audit(
            &state,
            AuditEntry {
                action: "disabled staff account".into(),
                detail: format!("user {user_id}"),
                ..AuditEntry::default()
            },
        )
        .await
    {
        return r;
    }
    Redirect::to("/console/users").into_response()
}

fn known_agency(state: &AppState, team: Option<&str>) -> bool {
    team.is_some_and(|t| state.config.support_directory.get(t).is_some())
}
